// proxy-addr (Express's own trust decision for X-Forwarded-For) ships no types; the part used here.
declare module 'proxy-addr' {
	type Trust = (addr: string, i: number) => boolean;
	interface RequestLike {
		headers: Record<string, string | string[] | undefined>;
		socket?: { remoteAddress?: string | undefined } | undefined;
		connection?: { remoteAddress?: string | undefined } | undefined;
	}
	function proxyaddr(req: RequestLike, trust: Trust | string | string[]): string;
	namespace proxyaddr {
		function compile(val: string | string[]): Trust;
		function all(req: RequestLike, trust?: Trust | string | string[]): string[];
	}
	export default proxyaddr;
}
