/**
 * Just enough NCRONTAB to look back along a timer's schedule: which
 * minutes it should have fired in. Six fields, seconds first, as the
 * Functions timer reads them: `{second} {minute} {hour} {day} {month}
 * {day-of-week}`, each `*`, a number, a name (`Jan`, `Mon`), a range, a
 * list or a step (`*\/15`, `1-5/2`). Times are UTC, as the host's are by
 * default (WEBSITE_TIME_ZONE is not applied).
 */

interface Field {
  min: number;
  max: number;
  names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { min: 0, max: 59 },
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  {
    min: 1,
    max: 12,
    names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
  },
  { min: 0, max: 6, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] },
];

export interface Ncrontab {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  /** Whether day and day-of-week were both restricted: then either may match. */
  eitherDay: boolean;
}

function valueOf(text: string, field: Field): number {
  const named = field.names?.indexOf(text.toLowerCase()) ?? -1;
  const value = named >= 0 ? named + field.min : Number(text);

  if (!Number.isInteger(value) || value < field.min || value > field.max) {
    throw new Error(`"${text}" is outside ${field.min}-${field.max}`);
  }

  return value;
}

function expandPart(part: string, field: Field): number[] {
  const [range = "", stepText] = part.split("/");
  const step = stepText === undefined ? 1 : Number(stepText);
  const [from, to] =
    range === "*"
      ? [field.min, field.max]
      : range.includes("-")
        ? range.split("-").map((bound) => valueOf(bound, field))
        : [valueOf(range, field), stepText === undefined ? valueOf(range, field) : field.max];

  if (!Number.isInteger(step) || step < 1 || from === undefined || to === undefined) {
    throw new Error(`"${part}" is not a range, list or step`);
  }

  const values: number[] = [];
  for (let value = from; value <= to; value += step) {
    values.push(value);
  }

  return values;
}

function expand(text: string, field: Field): Set<number> {
  return new Set(text.split(",").flatMap((part) => expandPart(part, field)));
}

/** Parses a six-field expression; throws on anything else (a TimeSpan, say). */
export function parseNcrontab(expression: string): Ncrontab {
  const parts = expression.trim().split(/\s+/);

  if (parts.length !== 6) {
    throw new Error(`"${expression}" does not have six fields`);
  }

  const [, minutes, hours, days, months, weekdays] = parts.map((part, index) =>
    expand(part, FIELDS[index] ?? { min: 0, max: 0 }),
  );

  return {
    minutes: minutes ?? new Set(),
    hours: hours ?? new Set(),
    days: days ?? new Set(),
    months: months ?? new Set(),
    weekdays: weekdays ?? new Set(),
    eitherDay: parts[3] !== "*" && parts[5] !== "*",
  };
}

function firesIn(schedule: Ncrontab, minute: Date): boolean {
  const dayMatch = schedule.days.has(minute.getUTCDate());
  const weekdayMatch = schedule.weekdays.has(minute.getUTCDay());

  return (
    schedule.minutes.has(minute.getUTCMinutes()) &&
    schedule.hours.has(minute.getUTCHours()) &&
    schedule.months.has(minute.getUTCMonth() + 1) &&
    (schedule.eitherDay ? dayMatch || weekdayMatch : dayMatch && weekdayMatch)
  );
}

const MINUTE_MS = 60_000;

/**
 * The minutes the schedule fires in after `after` and before the minute of
 * `before` (both excluded), newest first, at most `limit` of them. Looks back no further than 400
 * days, which covers a yearly schedule.
 */
export function occurrencesBetween(
  schedule: Ncrontab,
  after: Date,
  before: Date,
  limit = 10,
): Date[] {
  const found: Date[] = [];
  const floor = Math.max(after.getTime(), before.getTime() - 400 * 24 * 60 * MINUTE_MS);
  let minute = Math.floor(before.getTime() / MINUTE_MS) * MINUTE_MS - MINUTE_MS;

  for (; minute > floor && found.length < limit; minute -= MINUTE_MS) {
    const candidate = new Date(minute);
    if (firesIn(schedule, candidate)) {
      found.push(candidate);
    }
  }

  return found;
}
