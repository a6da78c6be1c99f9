"""The pure story grouper: reprints, rewrites, time windows and bad input.

The texts are short invented news items written for these tests.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from diemtin.dedupe import minhash
from diemtin.dedupe.evaluate import score
from diemtin.dedupe.signature import Signature
from diemtin.dedupe.stories import GroupDoc, StoryGrouper

FLOOD_A = (
    "Lũ quét cuốn trôi cầu treo ở Hà Giang",
    "Trận lũ quét đêm qua đã cuốn trôi cầu treo bản Nà Lừa, xã Thanh Thủy, huyện Vị Xuyên,"
    " tỉnh Hà Giang. Hơn 200 hộ dân bị cô lập, chính quyền đang dùng thuyền để tiếp tế lương"
    " thực. Mưa lớn kéo dài ba ngày khiến mực nước sông Lô dâng cao, nhiều ruộng lúa ngập sâu.",
)
FLOOD_B = (
    "Cầu treo Nà Lừa ở Vị Xuyên bị lũ cuốn trôi, 200 hộ dân bị chia cắt",
    "Lũ quét trong đêm làm sập cầu treo bản Nà Lừa thuộc xã Thanh Thủy, huyện Vị Xuyên, Hà"
    " Giang, khiến khoảng 200 hộ dân bị chia cắt. Huyện Vị Xuyên đưa thuyền tiếp tế lương thực"
    " cho người dân; nước sông Lô vẫn dâng cao sau ba ngày mưa lớn, lúa ngập sâu.",
)
FOOTBALL = (
    "Tuyển Việt Nam thắng Thái Lan 2-1 ở vòng loại",
    "Hai bàn thắng của tiền đạo Tiến Linh giúp đội tuyển Việt Nam ngược dòng đánh bại Thái Lan"
    " 2-1 trên sân Mỹ Đình tối qua. Huấn luyện viên cho biết toàn đội sẽ nghỉ hai ngày trước"
    " khi tập trung chuẩn bị cho trận gặp Indonesia vào tuần sau tại Jakarta.",
)
GOLD = (
    "Giá vàng SJC vượt 90 triệu đồng một lượng",
    "Sáng nay giá vàng miếng SJC tăng thêm 1,2 triệu đồng, lên trên 90 triệu đồng mỗi lượng ở"
    " chiều bán ra, mức cao nhất từ trước đến nay. Các doanh nghiệp kinh doanh vàng nới rộng"
    " chênh lệch mua bán trong khi giá vàng thế giới tiếp tục leo thang vì đồng USD suy yếu.",
)
NOON = datetime(2025, 10, 22, 12, 0, tzinfo=UTC)


def doc(
    doc_id: int, item: tuple[str, str], at: datetime | None = None, source: str = "x"
) -> GroupDoc:
    return GroupDoc(doc_id, item[0], item[1], at, source)


def seeded() -> StoryGrouper:
    """A grouper that has seen the unrelated stories, so frequencies mean something."""
    grouper = StoryGrouper()
    for i, item in enumerate((FOOTBALL, GOLD), start=100):
        grouper.add(doc(i, item))
    return grouper


def test_another_publishers_rewrite_joins_the_story() -> None:
    grouper = seeded()
    first = grouper.add(doc(1, FLOOD_A, NOON))
    second = grouper.add(doc(2, FLOOD_B, NOON + timedelta(hours=3)))
    assert first.new_story and first.story == 1
    assert not second.new_story and second.story == 1
    assert second.near_duplicate_of is None  # a rewrite, not a reprint
    assert second.score >= grouper.threshold


def test_identical_articles_from_two_sources_are_near_duplicates() -> None:
    grouper = seeded()
    grouper.add(doc(1, FLOOD_A, NOON, source="ttxvn"))
    copy = grouper.add(doc(2, FLOOD_A, NOON + timedelta(minutes=20), source="baotintuc"))
    assert copy.story == 1 and copy.near_duplicate_of == 1
    assert copy.score == pytest.approx(1.0)


def test_unrelated_stories_stay_apart() -> None:
    grouper = StoryGrouper()
    stories = {grouper.add(doc(i, item)).story for i, item in enumerate((FLOOD_A, FOOTBALL, GOLD))}
    assert len(stories) == 3


def test_time_window_keeps_far_apart_reports_apart_but_missing_dates_never_do() -> None:
    grouper = seeded()
    grouper.add(doc(1, FLOOD_A, NOON))
    assert grouper.add(doc(2, FLOOD_B, NOON + timedelta(days=30))).new_story
    assert grouper.add(doc(3, FLOOD_A, NOON - timedelta(days=2))).story == 1  # inside
    undated = seeded()
    undated.add(doc(1, FLOOD_A, NOON))
    assert undated.add(doc(2, FLOOD_B, None)).story == 1
    both_undated = StoryGrouper()
    both_undated.add(doc(1, FLOOD_A))
    assert both_undated.add(doc(2, FLOOD_B)).story == 1


def test_empty_text_and_title_make_a_story_of_their_own() -> None:
    grouper = seeded()
    empty = grouper.add(GroupDoc(1, "", ""))
    assert empty.new_story and empty.story == 1 and empty.score == 0.0
    again = grouper.add(GroupDoc(2, "  ", "\n"))  # two empty docs are not one story
    assert again.new_story
    assert grouper.add(doc(3, FLOOD_A)).new_story


def test_a_one_word_article_does_not_join_a_real_story() -> None:
    grouper = seeded()
    grouper.add(doc(1, FLOOD_A))
    tiny = grouper.add(GroupDoc(2, "Lũ", ""))
    assert tiny.new_story
    assert (
        grouper.signature(GroupDoc(3, "", "Lũ")).minhash
        == grouper.signature(GroupDoc(4, "", "")).minhash
    )  # too short for shingles: no near-duplicate claims


def test_a_huge_article_costs_no_more_than_its_opening() -> None:
    grouper = seeded()
    grouper.add(doc(1, FLOOD_A))
    huge = GroupDoc(2, FLOOD_B[0], FLOOD_B[1] + " Thông tin thêm." * 400_000)  # ~6 MB
    started = time.perf_counter()
    placed = grouper.add(huge)
    assert time.perf_counter() - started < 1.0
    assert placed.story == 1


def test_titles_only_group_by_title() -> None:
    grouper = seeded()
    grouper.add(GroupDoc(1, "Lũ quét cuốn trôi cầu treo Nà Lừa ở Hà Giang", ""))
    same = grouper.add(GroupDoc(2, "Cầu treo Nà Lừa ở Hà Giang bị lũ quét cuốn trôi", ""))
    other = grouper.add(GroupDoc(3, "Giá vàng SJC lập đỉnh mới", ""))
    assert same.story == 1
    assert other.new_story


def test_operator_moves_are_what_later_articles_join() -> None:
    grouper = seeded()
    grouper.add(doc(1, FLOOD_A))
    grouper.move(1, 77)  # the store gave the story its row id
    assert grouper.add(doc(2, FLOOD_B)).story == 77
    grouper.merge(5, 77)
    assert grouper.story_of(1) == grouper.story_of(2) == 5
    grouper.discard(2)
    assert 2 not in grouper and len(grouper) == 3


def test_adding_the_same_doc_twice_is_refused() -> None:
    grouper = StoryGrouper()
    grouper.add(doc(1, FLOOD_A))
    with pytest.raises(ValueError):
        grouper.add(doc(1, FLOOD_A))


def test_capacity_forgets_the_oldest() -> None:
    grouper = StoryGrouper(capacity=2)
    for i, item in enumerate((FLOOD_A, FOOTBALL, GOLD)):
        grouper.add(doc(i, item))
    assert 0 not in grouper and len(grouper) == 2
    assert grouper.add(doc(9, FLOOD_B)).new_story  # what it matched is gone


def test_restore_rebuilds_without_text() -> None:
    grouper = seeded()
    sig = grouper.signature(doc(1, FLOOD_A))
    again = Signature.from_bytes(sig.to_bytes())
    assert again == sig
    fresh = seeded()
    fresh.restore(1, 42, NOON, again)
    assert fresh.add(doc(2, FLOOD_B, NOON)).story == 42


def test_lsh_index_finds_shared_bands_and_forgets() -> None:
    index = minhash.LshIndex(64, minhash.bands_for(0.5, 64))
    a = minhash.signature([b"s%d" % i for i in range(100)], 64)
    b = minhash.signature([b"s%d" % i for i in range(10, 110)], 64)
    c = minhash.signature([b"t%d" % i for i in range(100)], 64)
    index.insert(1, a)
    assert index.query(b) == {1} and index.query(c) == set()
    assert 0.6 < minhash.similarity(a, b) < 1.0
    index.remove(1)
    assert index.query(a) == set() and len(index) == 0


def test_a_text_reprinted_many_times_costs_no_more_to_match() -> None:
    index = minhash.LshIndex(64, minhash.bands_for(0.5, 64), bucket_cap=8)
    same = minhash.signature([b"s%d" % i for i in range(100)], 64)
    close = minhash.signature([b"s%d" % i for i in range(5, 105)], 64)
    for key in range(1, 101):  # a hundred copies of one text
        index.insert(key, same)
    index.insert(101, close)
    assert index.query(same) == set(range(93, 102))  # only the latest per bucket remain
    best = index.query_best(same, 3)
    assert best == [100, 99, 98]  # the exact copies share every band; newest first
    assert 101 in index.query_best(close, 3)
    for key in range(1, 102):  # even keys pushed out of their buckets are removed cleanly
        index.remove(key)
    assert len(index) == 0 and index.query(same) == set()


def test_scores_match_hand_counts() -> None:
    perfect = score([1, 1, 2], ["a", "a", "b"])
    assert perfect.f1 == perfect.pair_f1 == 1.0
    lumped = score([1, 1, 1], ["a", "a", "b"])
    # BCubed precision: (2/3 + 2/3 + 1/3) / 3; recall 1
    assert lumped.precision == pytest.approx(5 / 9) and lumped.recall == 1.0
    assert lumped.pair_precision == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        score([], [])


@pytest.mark.parametrize("damage", [b"", b"\x02", b"\x09" + b"\x00" * 20, "cut", "tail"])
def test_a_damaged_or_foreign_signature_is_refused(damage: bytes | str) -> None:
    saved = StoryGrouper().signature(doc(1, FLOOD_A)).to_bytes()
    if damage == "cut":
        data = saved[: len(saved) // 2]
    elif damage == "tail":
        data = saved + b"\x1fextra"
    else:
        assert isinstance(damage, bytes)
        data = damage
    with pytest.raises(ValueError):
        Signature.from_bytes(data)


def test_expire_forgets_what_left_the_window_but_not_for_a_misdated_article() -> None:
    grouper = StoryGrouper(window=timedelta(days=1))
    grouper.add(doc(1, FLOOD_A, NOON))
    grouper.add(doc(2, FOOTBALL))  # undated: stepped over, kept
    grouper.add(doc(3, GOLD, NOON + timedelta(days=1)))
    grouper.add(doc(4, FLOOD_B, NOON + timedelta(days=3650)))  # misdated by ten years
    assert grouper.expire(NOON + timedelta(days=2)) == 0  # the clock caps the newest
    assert grouper.expire(NOON + timedelta(days=2, hours=1)) == 1
    assert 1 not in grouper and all(d in grouper for d in (2, 3, 4))
    assert StoryGrouper().expire(NOON) == 0
