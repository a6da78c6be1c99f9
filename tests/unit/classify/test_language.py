"""language_of(): Vietnamese kept apart from other languages, by letters and function words."""

from __future__ import annotations

import pytest

from diemtin.classify import language_of

# Sentences written for these tests, one per language, on the same news topic.
SAMPLES = {
    "vi": "Hôm nay, Thủ tướng đã chủ trì cuộc họp về phát triển kinh tế của các tỉnh miền"
    " Trung, nơi người dân vừa chịu thiệt hại nặng nề vì lũ lụt.",
    "en": "The prime minister chaired a meeting on the economic development of the central"
    " provinces, which have been hit hard by the floods this year.",
    "fr": "Le Premier ministre a présidé une réunion sur le développement économique des"
    " provinces du centre, qui sont durement touchées par les inondations.",
    "es": "El primer ministro presidió una reunión sobre el desarrollo económico de las"
    " provincias del centro, que fueron muy afectadas por las inundaciones.",
    "de": "Der Ministerpräsident leitete eine Sitzung über die wirtschaftliche Entwicklung"
    " der zentralen Provinzen, die von den Überschwemmungen betroffen sind.",
    "pt": "O primeiro-ministro presidiu uma reunião sobre o desenvolvimento econômico das"
    " províncias do centro, que foram atingidas pelas enchentes.",
    "it": "Il primo ministro ha presieduto una riunione sullo sviluppo economico delle"
    " province centrali, che sono state colpite dalle alluvioni.",
    "id": "Perdana menteri memimpin rapat tentang pembangunan ekonomi di provinsi tengah"
    " yang terkena banjir dan akan membantu warga yang kehilangan rumah.",
    "zh": "总理主持召开会议，讨论中部省份的经济发展问题。",
    "ja": "首相は中部地方の経済発展についての会議を主宰しました。",
    "ko": "총리는 중부 지방의 경제 발전에 관한 회의를 주재했다.",
    "ru": "Премьер-министр провёл совещание по экономическому развитию центральных провинций.",
    "th": "นายกรัฐมนตรีเป็นประธานการประชุมเรื่องการพัฒนาเศรษฐกิจของภาคกลาง",
}


@pytest.mark.parametrize(("expected", "text"), SAMPLES.items())
def test_each_language(expected: str, text: str) -> None:
    assert language_of(text) == expected


def test_vietnamese_typed_without_accents() -> None:
    text = "Hom nay thu tuong da chu tri cuoc hop ve phat trien kinh te cua cac tinh mien"
    text += " Trung, nhung nguoi dan van khong duoc thong bao truoc."
    assert language_of(text) == "vi"


def test_decomposed_vietnamese_is_still_vietnamese() -> None:
    import unicodedata

    assert language_of(unicodedata.normalize("NFD", SAMPLES["vi"])) == "vi"


def test_vietnamese_names_in_english_stay_english() -> None:
    text = "Nguyễn Văn Thắng met the delegation from Hà Nội and Đà Nẵng on Monday and said"
    text += " that the talks were useful for both sides."
    assert language_of(text) == "en"


def test_english_names_in_vietnamese_stay_vietnamese() -> None:
    text = "Ông John Smith, giám đốc Microsoft Việt Nam, cho biết công ty sẽ mở thêm văn"
    text += " phòng tại Thành phố Hồ Chí Minh trong năm nay."
    assert language_of(text) == "vi"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "12345 67890", "!!! ??? ...", "\x00\x01\xff\ufffd", "Hà Nội", "OK"],
)
def test_too_little_to_tell_is_undetermined(text: str) -> None:
    assert language_of(text) == "und"


def test_unknown_latin_language_is_undetermined() -> None:
    # Latin script, none of the known function words (Swahili)
    assert language_of("Watoto wanacheza mpira uwanjani kila jioni baada ya shule") == "und"


def test_only_the_start_of_a_long_text_is_read() -> None:
    long_text = " ".join([SAMPLES["vi"]] * 25 + [SAMPLES["en"]] * 500)
    assert language_of(long_text) == "vi"


def test_a_long_english_report_full_of_vietnamese_names_stays_english() -> None:
    # past the opening's quick look: a fifth of the words are Vietnamese names
    text = (
        "Prime Minister Phạm Minh Chính met Nguyễn Văn Thắng and Trần Hồng Hà in Hà Nội"
        " on Monday. The ministers said the new highway from Đà Nẵng to Quảng Ngãi would"
        " open next year, and that the government would ask the national assembly to"
        " approve more money for the project before the end of the year, because the"
        " costs of land and of materials have risen sharply since the plan was drawn up."
    )
    assert len(text.split()) > 70 and language_of(text) == "en"
