/**
 * China keeps one time zone, UTC+8, without daylight saving: business days, months, daily
 * limits and anchored report days all follow it. Instants come from the tx time (ctx.time()).
 */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The China calendar day 'YYYY-MM-DD' of an instant. */
export const chinaDay = (t: Date | number): string => new Date(+t + CHINA_OFFSET_MS).toISOString().slice(0, 10);

/** Whole China calendar days since 1970-01-01: subtract two to count days between instants. */
export const chinaDayNumber = (t: Date | number): number => Math.floor((+t + CHINA_OFFSET_MS) / DAY_MS);
