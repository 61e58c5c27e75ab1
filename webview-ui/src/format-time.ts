/**
 * A record's time in the user's locale: time only for today (the common case while working),
 * date and time otherwise. Seconds are kept: requests often come seconds apart.
 */
export function formatTime(iso: string, nowMs = Date.now()): string {
  const date = new Date(iso);
  const now = new Date(nowMs);
  const sameDay = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  return sameDay ? time : `${date.toLocaleDateString(undefined, { month: 'short', day: 'numeric' })} ${time}`;
}
