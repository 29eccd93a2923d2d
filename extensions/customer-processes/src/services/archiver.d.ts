// archiver ships no types; the evidence pack uses append/finalize/abort and its events.
declare module 'archiver' {
	const archiver: (format: 'zip', options?: Record<string, unknown>) => any;
	export default archiver;
}
