/**
 * A timer firing's schedule slot, and the slots that never ran. The slot
 * is the scheduled occurrence the firing belongs to, not the minute it
 * happened: a late firing (02:07 for 02:00) and a duplicate one claim the
 * same slot (A26), and neither counts its own slot as missed (A27).
 */
import type { RunHistory } from "../audit/audit-run.js";
import { occurrencesBetween, parseNcrontab } from "./ncrontab.js";
import type { Ncrontab } from "./ncrontab.js";

const MINUTE_MS = 60_000;
const LOOK_BACK_MS = 400 * 24 * 60 * MINUTE_MS;

/** `2026-12-01T02:00Z`: the minute, as runs and claims name it. */
export function slotName(minute: Date): string {
  return `${minute.toISOString().slice(0, 16)}Z`;
}

/** Undefined for a TimeSpan schedule (`01:00:00`), which this does not read. */
function parseSchedule(schedule: string): Ncrontab | undefined {
  return schedule.trim().split(/\s+/).length === 6 ? parseNcrontab(schedule) : undefined;
}

// The host has fired a few milliseconds early; a firing that close to a
// slot belongs to it, not to the one before.
const EARLY_FIRING_MS = 5_000;

/**
 * The latest scheduled minute at or before the firing (or just after it,
 * for an early one); the firing's minute without one. Slots are minutes:
 * a schedule that fires more than once a minute shares one slot.
 */
export function slotOf(schedule: string, firedAt: Date): string {
  const parsed = parseSchedule(schedule);
  const through = new Date(firedAt.getTime() + EARLY_FIRING_MS + MINUTE_MS);
  const [latest] = parsed
    ? occurrencesBetween(parsed, new Date(through.getTime() - LOOK_BACK_MS), through, 1)
    : [];

  return slotName(latest ?? firedAt);
}

/**
 * The slots between the subscription's last claimed one and this one that
 * the schedule should have run in: read from the claims, not `isPastDue`,
 * which stays false after a quick restart. None before the first claim or
 * for a TimeSpan schedule.
 */
export async function findMissedSlots(
  history: RunHistory,
  scope: string,
  schedule: string,
  slot: string,
): Promise<string[]> {
  const parsed = parseSchedule(schedule);
  const previous = parsed && (await history.previousClaim(scope, slot));

  if (!parsed || !previous) {
    return [];
  }

  return occurrencesBetween(parsed, new Date(previous), new Date(slot)).map(slotName).reverse();
}
