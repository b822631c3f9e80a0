"""Fixed Indonesian texts only the Telegram shell shows (commands, privacy, help, notices)."""

from __future__ import annotations

from bot.core.texts import EMERGENCY_LINE, HUMAN_CHANNEL

# Shown by Telegram in the "/" menu; setMyCommands sends them at start-up, in this order.
COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Mulai dan lihat menu topik"),
    ("cek", "Cek tawaran kerja atau nama PT"),
    ("menu", "Daftar topik"),
    ("darurat", "Nomor darurat: polisi, SAPA, KBRI"),
    ("kontak", "Kontak resmi BP3MI, KP2MI, KBRI"),
    ("bagikan", "Tautan dan kode QR untuk membagikan bot"),
    ("privasi", "Data apa yang disimpan bot"),
    ("bantuan", "Cara memakai bot"),
)

# The bot's profile, set at start-up like the commands: DESCRIPTION is what a person sees in an empty chat
# before pressing Start (at most 512 characters), SHORT_DESCRIPTION is shown on the profile and in shared
# links (at most 120).
DESCRIPTION = (
    "Kawan Migran membantu calon pekerja migran dari NTT dan keluarganya: syarat dan langkah berangkat resmi, "
    "biaya yang wajar, kontak resmi BP3MI, KP2MI dan KBRI, dan tanda-tanda perdagangan orang.\n\n"
    "Dalam bahaya? Polisi 110, SAPA 129 (WA 08111-129-129).\n\n"
    "Dibuat relawan, bukan layanan pemerintah. Bot tidak menyimpan nama atau nomor HP Anda."
)
SHORT_DESCRIPTION = "Panduan kerja ke luar negeri yang aman dan resmi untuk warga NTT. Darurat: Polisi 110, SAPA 129."

HELP = (
    "*Cara memakai Kawan Migran*\n"
    "Ketik pertanyaan Anda dengan bahasa sehari-hari, misalnya \"syarat jadi PMI apa saja?\" atau "
    "\"agen minta uang 10 juta, aman?\". Atau tekan tombol topik.\n\n"
    "/menu - daftar topik\n"
    "/darurat - nomor darurat\n"
    "/kontak - kontak resmi\n"
    "/bagikan - bagikan bot ini ke teman dan keluarga\n"
    "/privasi - data apa yang disimpan\n\n"
    + HUMAN_CHANNEL + "\n" + EMERGENCY_LINE
)

PRIVACY = (
    "*Privasi Anda*\n"
    "Bot ini *tidak menyimpan* nama, nama pengguna (username), nomor HP, id Telegram asli, atau isi "
    "percakapan Anda.\n\n"
    "Yang disimpan hanya:\n"
    "- hitungan tanpa nama: berapa pertanyaan, topik apa yang dibuka, tombol 👍/👎;\n"
    "- kode samaran pengganti id Telegram (id diacak dengan kunci rahasia dan tidak bisa dikembalikan), "
    "supaya kami tahu berapa orang yang memakai bot;\n"
    "- kode tautan relawan (dari /bagikan), untuk menghitung berapa orang datang lewat tautan itu;\n"
    "- pertanyaan yang belum bisa dijawab dengan baik (atau dinilai 👎), setelah nama, alamat, tanggal lahir, "
    "nomor HP, e-mail, NIK, nomor paspor, angka panjang lain dan alamat web dihapus, supaya admin bisa menambah "
    "jawaban.\n\n"
    "Semua catatan dihapus otomatis setelah *{days} hari*.\n"
    "Bot ini dibuat relawan, bukan layanan pemerintah. Jangan kirim data pribadi lewat bot ini."
)

TYPE_PLEASE = (
    "Maaf, saya hanya bisa membaca pesan teks. 🙏\n"
    "Silakan *ketik* pertanyaan Anda, atau tekan /menu untuk memilih topik.\n" + EMERGENCY_LINE
)
SLOW_DOWN = (
    "Pelan-pelan ya 🙏 Pesan Anda terlalu banyak dalam satu menit, jadi sebagian tidak saya baca. "
    "Tunggu sebentar, lalu kirim lagi pertanyaan Anda.\n" + EMERGENCY_LINE
)
SLOW_DOWN_SHORT = "Pelan-pelan ya 🙏 Tunggu sebentar."
ERROR_APOLOGY = (
    "Maaf, ada gangguan di bot ini. 🙏 Silakan coba lagi sebentar lagi.\n" + HUMAN_CHANNEL + "\n" + EMERGENCY_LINE
)

FEEDBACK_QUESTION = "Membantu?"
FEEDBACK_UP = "👍"
FEEDBACK_DOWN = "👎"
FEEDBACK_THANKS = "Terima kasih atas masukannya! 🙏"

SHARE = (
    "*Bagikan Kawan Migran*\n"
    "Kirim tautan ini ke teman dan keluarga yang ingin bekerja ke luar negeri, atau tunjukkan kode QR di bawah "
    "untuk dipindai:\n{link}\n\n"
    "Tautan ini khusus untuk Anda: bot hanya menghitung berapa orang yang datang lewat tautan ini, "
    "tanpa tahu siapa Anda."
)
SHARE_CAPTION = "Pindai untuk membuka Kawan Migran"

RELOAD_OK = "Pengetahuan dimuat ulang: {topics} topik, {examples} contoh pertanyaan."
RELOAD_FAILED = (
    "Data baru *tidak dimuat* karena ada {count} galat. Bot tetap memakai data sebelumnya.\n"
    "Perbaiki lalu kirim /reload lagi (atau simpan berkas; bot memeriksa sendiri)."
)
AUTO_RELOAD_OK = "Perubahan berkas diterima: {topics} topik, {examples} contoh pertanyaan."
AUTO_RELOAD_FAILED = (
    "Perubahan berkas *tidak dimuat* karena ada {count} galat. Bot tetap memakai data sebelumnya.\n"
    "Perbaiki berkasnya; bot memeriksa lagi setiap kali berkas disimpan."
)
STATS_UNAVAILABLE = "Statistik belum bisa dibuat: {reason}"
# At most this many problems are listed in an admin notice; `kawan validate` shows them all.
NOTICE_PROBLEMS = 10
PROBLEMS_MORE = "… dan {more} masalah lain ({files} berkas). Jalankan `kawan validate` untuk daftar lengkap."
