/** A UI text in both languages: Simplified Chinese first, English available. */
export type Pair = { zh: string; en: string };
