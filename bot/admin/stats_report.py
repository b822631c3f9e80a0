"""The usage report for admins: Indonesian text in the small markup, and a PNG chart of messages per day."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from PIL import Image, ImageDraw

from bot.admin.cases import case_stats, format_case_stats
from bot.admin.fonts import font
from bot.admin.storage import DayCount, EventStore, Stats

TOP_TOPICS = 10
MAX_DAY_LINES = 31
WEEKDAYS = ("Sen", "Sel", "Rab", "Kam", "Jum", "Sab", "Min")


def _day(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.strftime('%d-%m')}"


def _share(part: int, whole: int) -> str:
    return f" ({round(100 * part / whole)}%)" if whole else ""


def format_stats(stats: Stats, days: int) -> str:
    """The report for one Stats; *bold* is the only markup, so it shows the same in Telegram and a terminal."""
    period = "hari ini" if days == 1 else f"{days} hari terakhir"
    lines = [f"*Statistik Kawan Migran: {period}*",
             f"{stats.first.strftime('%d-%m-%Y')} s.d. {stats.last.strftime('%d-%m-%Y')} (UTC)", ""]
    if not stats.kinds:
        lines.append("Belum ada kegiatan pada periode ini.")
        return "\n".join(lines)
    answered, fallback = stats.count("answer"), stats.count("fallback")
    lines += [
        f"Pesan masuk: {stats.count('message')}",
        f"Pengguna unik: {stats.users} (dihitung dari kode acak, bukan ID Telegram)",
        f"Dijawab: {answered}{_share(answered, answered + fallback)} · "
        f"tidak terjawab: {fallback}{_share(fallback, answered + fallback)}",
        f"Ditanya balik (\"Maksud Anda\"): {stats.count('clarify')}",
        f"Darurat: {stats.count('emergency')}",
        f"Mulai (/start): {stats.count('start')}",
    ]
    if stats.topics:
        lines += ["", "*Topik teratas*"]
        lines += [f"{rank}. {topic}: {count}" for rank, (topic, count) in enumerate(stats.topics[:TOP_TOPICS], 1)]
    if stats.signals:
        lines += ["", "*Sinyal darurat yang paling sering* (id sinyal, tanpa isi pesan)"]
        lines += [f"- {signal}: {count}" for signal, count in stats.signals[:TOP_TOPICS]]
    if stats.feedback:
        lines += ["", "*Umpan balik per topik*"]
        lines += [f"- {f.topic}: {f.up} 👍, {f.down} 👎" for f in stats.feedback]
    if stats.referrals:
        lines += ["", "*Relawan (orang per kode rujukan)*"]
        lines += [f"- {code}: {people} orang" for code, people in stats.referrals]
    lines += ["", "*Per hari*"]
    shown = stats.days[-MAX_DAY_LINES:]
    if len(stats.days) > len(shown):
        lines.append(f"({len(stats.days) - len(shown)} hari lebih lama tidak ditampilkan)")
    lines += [f"- {_day(d.day)}: {d.messages} pesan, {d.answered} dijawab, {d.fallback} tidak terjawab" for d in shown]
    return "\n".join(lines)


def summary_text(store: EventStore, days: int = 7, now: datetime | None = None) -> str:
    """The /statistik and `kawan stats` text for the last `days` UTC days."""
    stats = store.stats(days, now)
    text = format_stats(stats, days)
    cases = case_stats(store, stats.first.isoformat(), stats.last.isoformat())
    return text + "\n" + "\n".join(format_case_stats(cases)) if cases.opened else text


# The chart --------------------------------------------------------------------------------------
WIDTH, HEIGHT = 1200, 700
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 100, 40, 140, 110
BACKGROUND, INK, GRID, MUTED = "#ffffff", "#1f2937", "#e5e7eb", "#6b7280"
# Colour-blind-safe pair (Okabe-Ito blue and orange), plus grey for the rest of the messages.
ANSWERED, FALLBACK, OTHER = "#0072b2", "#e69f00", "#cbd5e1"


def _all_days(stats: Stats) -> list[DayCount]:
    """Every day of the window, with zeros where nothing happened, so gaps show as gaps."""
    known = {d.day: d for d in stats.days}
    count = (stats.last - stats.first).days + 1
    days = [stats.first + timedelta(days=offset) for offset in range(count)]
    return [known.get(day, DayCount(day=day, messages=0, answered=0, fallback=0)) for day in days]


def _nice_step(top: int) -> int:
    """A round gridline step giving about five lines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 6:
            return step
    return 10 ** len(str(top))


def render_chart(stats: Stats, days: int) -> Image.Image:
    """Stacked bars per day: answered, fallback and the other messages (menus, clarifications, emergencies)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    period = "hari ini" if days == 1 else f"{days} hari terakhir"
    draw.text((MARGIN_LEFT, 30), f"Pesan per hari, {period}", font=font(40, bold=True), fill=INK)
    draw.text((MARGIN_LEFT, 82), f"{stats.first.strftime('%d-%m-%Y')} s.d. {stats.last.strftime('%d-%m-%Y')} (UTC)",
              font=font(24), fill=MUTED)
    legend = ((ANSWERED, "dijawab"), (FALLBACK, "tidak terjawab"), (OTHER, "lainnya"))
    x = WIDTH - MARGIN_RIGHT
    for colour, label in reversed(legend):
        width = int(draw.textlength(label, font=font(24)))
        x -= width
        draw.text((x, 86), label, font=font(24), fill=INK)
        x -= 34
        draw.rectangle((x, 88, x + 24, 112), fill=colour)
        x -= 28
    series = _all_days(stats)
    top = max((max(d.messages, d.answered + d.fallback) for d in series), default=0)
    step = _nice_step(max(top, 1))
    scale_top = max(step, -(-top // step) * step)
    plot_left, plot_right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    plot_top, plot_bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    def y_of(value: float) -> float:
        return plot_bottom - (plot_bottom - plot_top) * value / scale_top

    for value in range(0, scale_top + 1, step):
        y = y_of(value)
        draw.line((plot_left, y, plot_right, y), fill=GRID if value else MUTED, width=2)
        label = str(value)
        draw.text((plot_left - 14 - draw.textlength(label, font=font(22)), y - 13), label, font=font(22), fill=MUTED)
    slot = (plot_right - plot_left) / len(series)
    bar = max(2.0, slot * 0.7)
    label_every = max(1, -(-len(series) // 14))
    for index, day in enumerate(series):
        left = plot_left + index * slot + (slot - bar) / 2
        other = max(day.messages - day.answered - day.fallback, 0)
        base = 0
        for value, colour in ((day.answered, ANSWERED), (day.fallback, FALLBACK), (other, OTHER)):
            if value:
                draw.rectangle((left, y_of(base + value), left + bar, y_of(base)), fill=colour)
            base += value
        if base and len(series) <= 14:
            total = str(base)  # exact numbers on top: bars alone are hard to read off a phone screen
            center = left + bar / 2
            draw.text((center - draw.textlength(total, font=font(22, bold=True)) / 2, y_of(base) - 30), total,
                      font=font(22, bold=True), fill=INK)
        if index % label_every == 0:
            label = day.day.strftime("%d-%m")
            center = plot_left + index * slot + slot / 2
            draw.text((center - draw.textlength(label, font=font(22)) / 2, plot_bottom + 12), label,
                      font=font(22), fill=INK)
            if len(series) <= 14:
                weekday = WEEKDAYS[day.day.weekday()]
                draw.text((center - draw.textlength(weekday, font=font(20)) / 2, plot_bottom + 42), weekday,
                          font=font(20), fill=MUTED)
    if top == 0:
        message = "Belum ada pesan pada periode ini."
        draw.text(((WIDTH - draw.textlength(message, font=font(30))) / 2, (plot_top + plot_bottom) / 2 - 20),
                  message, font=font(30), fill=MUTED)
    return image


def summary_chart_png(store: EventStore, days: int = 7, now: datetime | None = None) -> bytes:
    """The /statistik chart as PNG bytes."""
    out = io.BytesIO()
    render_chart(store.stats(days, now), days).save(out, format="PNG", optimize=True)
    return out.getvalue()
