/**
 * Runs `work` every `everyMs` while the page is visible (issue 21, point 1: the planner's
 * progress moves without pressing 刷新). The next run is timed from the end of the last, so
 * requests never overlap on a slow network; a hidden tab stops asking, and becoming visible
 * again runs at once. A later issue brings server-sent events; this is the simple step before.
 * Returns the function that stops it (for onMount's cleanup).
 */
export function pollWhileVisible(work: () => Promise<unknown>, everyMs: number): () => void {
	let timer: ReturnType<typeof setTimeout> | null = null;
	let running = false;
	let stopped = false;

	const schedule = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
		if (!stopped && document.visibilityState === 'visible') timer = setTimeout(run, everyMs);
	};
	async function run() {
		timer = null;
		if (stopped || running || document.visibilityState !== 'visible') return;
		running = true;
		try {
			await work();
		} catch {
			// A failed poll (a dropped connection) is tried again at the next tick.
		} finally {
			running = false;
			schedule();
		}
	}
	const onVisibility = () => {
		if (document.visibilityState === 'visible') {
			if (!running) void run();
		} else if (timer !== null) {
			clearTimeout(timer);
			timer = null;
		}
	};
	document.addEventListener('visibilitychange', onVisibility);
	schedule();
	return () => {
		stopped = true;
		if (timer !== null) clearTimeout(timer);
		document.removeEventListener('visibilitychange', onVisibility);
	};
}
