/**
 * Yuan as ¥10,000 (万元), two decimals, the unit the housing bureau's ledgers keep money in:
 * every money table states this one unit in its headings (issue 21).
 */
export function wanYuan(yuan: number): string {
	return (yuan / 10_000).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}
