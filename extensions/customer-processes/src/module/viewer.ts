// Who is looking at the module's pages and the KPI panel: their language and whether they administer the instance.
// Called from a component's setup (the app's stores exist only there).
import { useStores } from '@directus/extensions-sdk';
import { langOf, type Lang } from '../domain/kpi/format';

/** The user's language, else the project's default, else the browser's. */
export function viewerLanguage(): Lang {
	try {
		const stores = useStores() as any;
		const user = stores.useUserStore?.().currentUser;
		if (user?.language) return langOf(user.language);
		const project = stores.useSettingsStore?.().settings?.default_language;
		if (project) return langOf(project);
	} catch {
		/* outside the app */
	}
	return langOf(typeof navigator === 'undefined' ? '' : navigator.language);
}

export function viewerIsAdmin(): boolean {
	try {
		const store = (useStores() as any).useUserStore?.();
		return Boolean(store?.isAdmin ?? store?.currentUser?.admin_access ?? store?.currentUser?.role?.admin_access);
	} catch {
		return false;
	}
}
