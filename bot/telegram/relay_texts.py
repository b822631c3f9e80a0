"""Fixed Indonesian texts of "Bicara dengan relawan": what the user and the volunteers' group read."""

from __future__ import annotations

from bot.core.texts import EMERGENCY_LINE, HUMAN_CHANNEL

ASK_BUTTON = "🙋 Bicara dengan relawan"
COMMAND = ("relawan", "Bicara dengan relawan Kawan PMI (manusia)")
HELP_LINE = "/relawan - bicara dengan relawan Kawan PMI (manusia)"
# Every message a volunteer sends through the bot starts with this; the volunteer's name never does.
REPLY_PREFIX = "Relawan Kawan PMI:"

CONSENT = (
    EMERGENCY_LINE + "\n\n"
    "*Bicara dengan relawan Kawan PMI*\n"
    "Relawan adalah sukarelawan Kawan PMI. Mereka *bukan polisi dan bukan pemerintah*.\n\n"
    "Bila Anda setuju, relawan akan melihat:\n"
    "- pesan yang Anda tulis *mulai sekarang* (pesan sebelumnya tidak dikirim);\n"
    "- nomor kasus, misalnya #K-0427.\n"
    "Relawan *tidak* melihat nama, username, nomor HP, atau id Telegram Anda. Anda juga tidak melihat nama "
    "relawan.\n\n"
    "Relawan tidak selalu bisa langsung membalas. Ketik /selesai kapan saja untuk berhenti."
)
CONSENT_YES = "✅ Ya, sambungkan"
CONSENT_NO = "✖️ Tidak jadi"
DECLINED = "Baik, tidak disambungkan. Anda tetap bisa bertanya kepada bot kapan saja. 🙂\n" + EMERGENCY_LINE
OPENED = (
    "Anda tersambung. Nomor kasus Anda: *{label}*.\n"
    "Silakan tulis pesan Anda sekarang. Balasan relawan datang di sini dengan awalan \"Relawan Kawan PMI:\".\n"
    "Ketik /selesai untuk mengakhiri."
)
ALREADY_OPEN = "Anda sudah tersambung dengan relawan (kasus *{label}*). Tulis saja pesan Anda; /selesai untuk berhenti."
END_BUTTON = "✅ Akhiri percakapan"
NOT_IN_CASE = "Anda tidak sedang bicara dengan relawan. Ketik /relawan bila ingin bicara dengan relawan."
TAKEN_FOR_USER = "Seorang relawan sudah menerima kasus Anda (*{label}*) dan akan membalas di sini."
MEDIA_WARNING = (
    "⚠️ Hati-hati: foto dan pesan suara bisa menunjukkan siapa Anda (wajah, suara, nama di dokumen, tempat, "
    "pelat nomor). Foto atau pesan suara ini *belum* diteruskan.\n"
    "Bila tetap ingin mengirimnya ke relawan, kirim sekali lagi. Tutupi dulu nama, nomor, dan wajah bila bisa."
)
ONLY_SOME_MEDIA = "Yang bisa diteruskan ke relawan hanya teks, foto, dan pesan suara. Lokasi dan berkas tidak diteruskan."
CLOSED_FOR_USER = "Percakapan dengan relawan selesai (kasus *{label}*). Terima kasih. 🙏\nApakah relawan membantu Anda?"
RATING_THANKS = "Terima kasih atas penilaiannya! 🙏"
BLOCKED_FOR_USER = "Percakapan dengan relawan dihentikan.\n" + HUMAN_CHANNEL + "\n" + EMERGENCY_LINE
BLOCKED_RECENTLY = "Maaf, saat ini Anda belum bisa tersambung dengan relawan.\n" + HUMAN_CHANNEL + "\n" + EMERGENCY_LINE
ENDED_FOR_USER = "Percakapan dengan relawan sudah berakhir. Ketik /relawan bila ingin mulai lagi."
NO_ANSWER_YET = (
    "Maaf, sampai sekarang belum ada relawan yang menjawab kasus *{label}*. Relawan kami sukarelawan dan "
    "kadang tidak sempat. Pesan Anda tetap diteruskan bila Anda menulis lagi.\n"
    "Jangan menunggu bila mendesak: " + HUMAN_CHANNEL + "\n" + EMERGENCY_LINE
)

# The volunteers' group --------------------------------------------------------------------------------
NEW_CASE = (
    "🆕 <b>{label}</b>: permintaan baru{ref}.\n"
    "Jawab dengan <i>membalas (reply)</i> pesan kasus ini; balasan diteruskan tanpa nama Anda. "
    "/selesai sebagai balasan menutup kasus."
)
REF_PART = " (lewat tautan relawan <code>{ref}</code>)"
RELAYED = "<b>{label}</b>{details}\n{body}"
TOPIC_PART = " · topik: {topic}"
REF_DETAIL = " · rujukan: <code>{ref}</code>"
EMERGENCY_PART = " · ⚠️ <b>DARURAT</b> (bot sudah mengirim nomor darurat)"
EDITED_PART = " · (diedit)"
MEDIA_CAPTION = "<b>{label}</b> · {what} dari pengguna"
PHOTO = "foto"
VOICE = "pesan suara"
TAKE_BUTTON = "✋ Ambil kasus"
CLOSE_BUTTON = "✅ Tutup"
BLOCK_BUTTON = "⛔ Blokir"
TAKEN_BY = "\n✋ Diambil oleh {name}."
TAKEN_TOAST = "Kasus diambil. Balas pesan kasus untuk menjawab."
ALREADY_TAKEN = "Kasus ini sudah diambil relawan lain."
CASE_ENDED = "Kasus ini sudah selesai."
CLOSED_BY_USER = "✅ <b>{label}</b> ditutup oleh pengguna."
CLOSED_BY_VOLUNTEER = "✅ <b>{label}</b> ditutup oleh {name}."
BLOCKED_BY = "⛔ <b>{label}</b> diblokir oleh {name}; pesan pengguna ini tidak diteruskan lagi."
ENDED_NOTICE = "<b>{label}</b> sudah selesai; balasan tidak diteruskan."
NOT_DELIVERED = "⚠️ <b>{label}</b>: balasan tidak terkirim (pengguna mungkin memblokir bot)."
TEXT_ONLY = "<b>{label}</b>: hanya balasan teks yang diteruskan ke pengguna."
CLOSE_HOW = "Untuk menutup kasus, kirim /selesai sebagai <i>balasan (reply)</i> ke salah satu pesan kasus itu."
REMINDER = ("⏰ <b>{label}</b> belum dijawab selama {minutes} menit. Siapa bisa membantu? "
            "Balas pesan kasus ini untuk menjawab.")

PRIVACY = (
    "\n\n*Bicara dengan relawan (/relawan)*\n"
    "Bila Anda minta bicara dengan relawan, pesan yang Anda tulis setelah itu diteruskan ke grup relawan "
    "dengan nomor kasus saja, tanpa nama, username, nomor HP, atau id Telegram Anda. Isi pesan tidak "
    "disimpan di database bot; pesan hanya ada di Telegram. Selama kasus berjalan, bot menyimpan satu hal "
    "untuk bisa mengirim balasan relawan kepada Anda: id obrolan Anda, *terkunci (dienkripsi)*. Id itu "
    "dihapus begitu percakapan selesai, dan paling lambat setelah *{days} hari*. Yang tersisa hanya "
    "hitungan: kapan kasus dibuka, dijawab, dan ditutup, serta penilaian 👍/👎."
)
