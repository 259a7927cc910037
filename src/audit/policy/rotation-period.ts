const WORDS: Record<string, number> = {
  daily: 1,
  weekly: 7,
  fortnightly: 14,
  monthly: 30,
  quarterly: 90,
  "semi-annually": 182,
  "semi-annual": 182,
  "half-yearly": 182,
  biannually: 182,
  yearly: 365,
  annually: 365,
  annual: 365,
};

const UNIT_DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };
const NEVER = /^(never|none|n\/a|no expiry|does not expire|-)$/i;
const WORD = new RegExp(`\\b(${Object.keys(WORDS).join("|")})\\b`, "i");
const COUNT = /\b(?:every\s+)?(\d{1,4})\s*[- ]?\s*(day|week|month|year)s?\b/i;
const EVERY_UNIT = /\bevery\s+(day|week|month|year)\b/i;

export interface PeriodMatch {
  days: number;
  /** Where the period words start in the text, to tell what precedes them. */
  index: number;
}

/** The rotation period a phrase names (`quarterly`, `90 days`, `every 6 months`). */
export function findPeriod(text: string): PeriodMatch | undefined {
  const word = WORD.exec(text);

  if (word?.[1]) {
    return { days: WORDS[word[1].toLowerCase()] ?? 0, index: word.index };
  }

  const count = COUNT.exec(text);

  if (count?.[1] && count[2]) {
    return {
      days: Number(count[1]) * (UNIT_DAYS[count[2].toLowerCase()] ?? 1),
      index: count.index,
    };
  }

  const every = EVERY_UNIT.exec(text);

  return every?.[1]
    ? { days: UNIT_DAYS[every[1].toLowerCase()] ?? 1, index: every.index }
    : undefined;
}

/** Days for a rotation cell; `null` means "never", `undefined` means unreadable. */
export function parsePeriodCell(text: string): number | null | undefined {
  return NEVER.test(text.trim()) ? null : findPeriod(text)?.days;
}
