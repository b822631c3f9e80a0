"""Fixed Indonesian texts of the conversation (answers themselves live in knowledge/)."""

from __future__ import annotations

HUMAN_CHANNEL = (
    "Untuk bicara dengan petugas resmi: *KP2MI 0800-1000* (gratis dari Indonesia), "
    "+62 21 2924 4800 (dari luar negeri), WhatsApp 0811-8080-141, atau Disnakertrans kabupaten/kota Anda."
)
EMERGENCY_LINE = ("Dalam bahaya? Di Malaysia *999* · di Indonesia Polisi *110*, SAPA *129* (WA 08111-129-129) · "
                  "luar negeri: hotline Kemlu *+62 812 9007 0027*.")
PLACE_BUTTONS = (("luar_negeri", "🌏 Saya di luar negeri"), ("indonesia", "🇮🇩 Saya di Indonesia"),
                 ("keluarga", "👪 Saya keluarganya"))

WELCOME = (
    "*Halo, selamat datang di Kawan Migran!* 👋\n"
    "Saya bot informasi untuk calon pekerja migran (PMI) dan keluarganya: syarat dan langkah berangkat "
    "resmi, kontak resmi, serta tanda-tanda perdagangan orang.\n\n"
    "Bot ini dibuat relawan, *bukan layanan pemerintah*. Bot tidak menyimpan nama, nomor HP, atau isi "
    "percakapan Anda (lihat /privasi).\n\n"
    "Ketik pertanyaan Anda dengan bahasa sehari-hari, atau pilih topik di bawah.\n"
    + EMERGENCY_LINE
)
MENU = "Pilih kelompok topik:"
GROUP = "*{title}*\nPilih topik:"
FALLBACK = (
    "Maaf, saya belum mengerti pertanyaan itu. 🙏\n"
    "Coba tulis dengan kata lain, atau pilih topik di menu.\n\n" + HUMAN_CHANNEL + "\n" + EMERGENCY_LINE
)
UNSURE = (
    "Maksud Anda salah satu ini? 🤔\n"
    "Tekan tombol yang paling dekat dengan pertanyaan Anda, atau tulis lagi dengan kata lain.\n" + EMERGENCY_LINE
)
ALSO_ASKED = "Pesan Anda juga menanyakan hal lain: tekan tombol pertama di bawah."
EMPTY = "Silakan ketik pertanyaan Anda, atau pilih topik di bawah. 🙂\n" + EMERGENCY_LINE
EMERGENCY_ANSWER = "*Untuk pertanyaan Anda:*"
EMERGENCY_ALSO = "Setelah Anda aman, topik ini mungkin juga membantu:"
SOURCES = "*Sumber* (diperiksa {checked}):"
MORE_BUTTON = "📖 Selengkapnya & sumber"
MENU_BUTTON = "📋 Menu"
CHECK_BUTTON = "🔎 Cek tawaran kerja / Cek PT"
UNKNOWN_TOPIC = "Topik itu tidak ada. Silakan pilih dari menu."
