/** What every bench reports through: one JSON line per figure. */
export type Report = (metric: string, value: number, unit: string) => void;
