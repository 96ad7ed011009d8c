// Events, kept right after the build: a page built last week still says what is upcoming
// today. Without JavaScript the page reads as it was at its build.
(function () {
  const now = Date.now();
  const over = (value) => Date.parse(value) <= now;

  // Events that ended since the build leave the "upcoming" lists: into "Past events" when the
  // page has that list (newest first, as it is), otherwise away.
  for (const list of document.querySelectorAll("[data-upcoming]")) {
    const past = document.querySelector("[data-past]");
    let left = 0;
    for (const item of list.querySelectorAll("[data-ends]")) {
      if (!over(item.dataset.ends)) {
        left += 1;
      } else if (past) {
        past.hidden = false;
        past.querySelector("h2").after(item);
      } else {
        item.remove();
      }
    }
    const none = list.querySelector("[data-none]");
    if (none && left === 0) none.hidden = false;
  }
  // Booking links go once the event is over; the "has ended" note comes.
  for (const element of document.querySelectorAll("[data-hide-after]")) {
    if (over(element.dataset.hideAfter)) element.hidden = true;
  }
  for (const element of document.querySelectorAll("[data-show-after]")) {
    if (over(element.dataset.showAfter)) element.hidden = false;
  }

  // The reader's own time beside the event's, when the two clocks differ, in the page's
  // language (the note's words come from the page too).
  const language = document.documentElement.lang || undefined;
  const note = document.body.dataset.localTime || "({time})";
  const reader = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const clock = (zone) => new Intl.DateTimeFormat(language, {
    timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  const day = (zone) => new Intl.DateTimeFormat(language, {
    timeZone: zone, weekday: "short", day: "numeric", month: "short",
  });
  const zoneName = (moment) => new Intl.DateTimeFormat(language, {timeZoneName: "short"})
    .formatToParts(moment).find((part) => part.type === "timeZoneName").value;
  for (const time of document.querySelectorAll("time[data-start][data-zone]")) {
    const zone = time.dataset.zone;
    const start = new Date(time.dataset.start);
    const here = (where) => `${day(where).format(start)} ${clock(where).format(start)}`;
    if (zone === reader || here(zone) === here(reader)) continue;
    let text = `${day(reader).format(start)}, ${clock(reader).format(start)}`;
    if (time.dataset.end) {
      const end = new Date(time.dataset.end);
      text += day(reader).format(end) === day(reader).format(start)
        ? `–${clock(reader).format(end)}`
        : ` – ${day(reader).format(end)}, ${clock(reader).format(end)}`;
    }
    const local = document.createElement("span");
    local.className = "local-time";
    local.textContent = " " + note.replace("{time}", `${text} ${zoneName(start)}`);
    time.after(local);
  }
})();
