/**
 * `npm test` runs the type check alongside the test run and tells the test set-up its verdict
 * through a file named in this environment variable; the set-up lets no test start before it
 * is in and good.
 */
export const TYPE_CHECK_RESULT = 'WANGGE_TYPE_CHECK_RESULT';

export type TypeCheckResult = { ok: boolean };
