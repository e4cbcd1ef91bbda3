/**
 * MapLibre's stylesheet, linked when the first map mounts rather than with the page.
 *
 * SvelteKit links the CSS of every component a page may import, dynamically imported ones
 * included, as render-blocking stylesheets of the page. MapLibre's is 70 kB: linked with /me
 * and /report, whose maps come later or only on request, it held up the grid worker's list and
 * the resident's form (issue 21). Imported as a URL it is not part of any page's CSS; the map
 * waits for it before it draws its controls.
 */
import href from 'maplibre-gl/dist/maplibre-gl.css?url';

let loading: Promise<void> | null = null;

export function ensureMapCss(): Promise<void> {
	if (loading) return loading;
	loading = new Promise((resolve) => {
		const existing = document.querySelector<HTMLLinkElement>(`link[rel="stylesheet"][href="${href}"]`);
		if (existing) return resolve();
		const link = document.createElement('link');
		link.rel = 'stylesheet';
		link.href = href;
		// A stylesheet that fails to load (no signal, not kept) leaves the controls unstyled, the map usable.
		link.onload = link.onerror = () => resolve();
		document.head.appendChild(link);
	});
	return loading;
}
