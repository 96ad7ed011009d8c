"""Pictures as a reader, a picture editor and a social network see them: resized variants in
modern formats with their sizes, lazy but for the first, crops and share cards, bad images
reported at their path, and no image work when no image changed."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import feedparser
import pytest
import yaml
from conftest import NOW, article, soup, write_site
from PIL import Image, features

from newsroom import images
from newsroom.build import build_site
from newsroom.problems import BuildError

ALT = {"image_alt": "The main hall, full", "image_credit": "Ada Lens"}
FORMATS = ["image/avif", "image/webp"] if features.check("avif") else ["image/webp"]


def photo(width: int, height: int, fmt: str = "JPEG", mode: str = "RGB", **options) -> bytes:
    """A picture with something in it (a gradient), as a file of `fmt`."""
    image = Image.linear_gradient("L").resize((width, height)).convert(mode)
    data = io.BytesIO()
    image.save(data, fmt, **options)
    return data.getvalue()


def site(tmp_path: Path, media: dict[str, bytes], files: dict[str, str] | None = None,
         **config: object) -> Path:
    path = write_site(tmp_path, files or {}, config)
    for name, data in media.items():
        (tmp_path / "content/media" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "content/media" / name).write_bytes(data)
    return path


def output(tmp_path: Path, url: str) -> Path:
    return tmp_path / "public" / url.lstrip("/")


def widths(srcset: str) -> list[int]:
    return [int(candidate.split()[1][:-1]) for candidate in srcset.split(", ")]


def test_a_lead_image_comes_in_widths_and_formats_with_its_size(tmp_path):
    config = site(tmp_path, {"hall.jpg": photo(2400, 1200)},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/hall.jpg", **ALT)})
    build_site(config, now=NOW, jobs=2)
    figure = soup(tmp_path / "public/news/a/index.html").select_one("figure.lead-image")
    sources = figure.picture.find_all("source")
    assert [s["type"] for s in sources] == FORMATS
    img = figure.img
    # Never wider than 1920 (a wide screen at twice the pixels), never upscaled.
    assert widths(img["srcset"]) == [480, 800, 1200, 1600, 1920]
    assert (img["width"], img["height"]) == ("1920", "960")
    assert img["sizes"] == sources[0]["sizes"]
    assert img["decoding"] == "async"
    assert "loading" not in img.attrs  # the first picture of its page
    assert img["src"].endswith(".1920.jpg")
    for source in [*sources, img]:
        for candidate in source["srcset"].split(", "):
            url, width = candidate.split()
            with Image.open(output(tmp_path, url)) as made:
                assert made.width == int(width[:-1])
                assert made.height == made.width // 2
                assert Image.MIME[made.format] == source.get("type", "image/jpeg")
    # The original is still there, byte for byte, for links to it.
    assert output(tmp_path, "/media/hall.jpg").read_bytes() == \
        (tmp_path / "content/media/hall.jpg").read_bytes()


def test_a_small_picture_is_never_made_larger(tmp_path):
    config = site(tmp_path, {"small.png": photo(300, 200, "PNG")},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/small.png",
                                                           **ALT)})
    build_site(config, now=NOW)
    img = soup(tmp_path / "public/news/a/index.html").select_one("figure img")
    assert widths(img["srcset"]) == [300]
    assert img["src"].endswith(".300.png")  # the original's format is the fallback


def test_images_in_the_text_are_pictures_lazy_but_for_the_first(tmp_path):
    body = ("![First](/media/one.jpg)\n\nWords.\n\n![Second](/media/two.jpg)\n\n"
            "![Elsewhere](https://images.example.com/far.jpg)\n")
    config = site(tmp_path, {"one.jpg": photo(1000, 500), "two.jpg": photo(900, 600)},
                  {"content/news/2024-05-01-a.md": article("A", body=body)})
    build_site(config, now=NOW)
    prose = soup(tmp_path / "public/news/a/index.html").select_one(".prose")
    first, second, far = prose.find_all("img")
    assert first.parent.name == second.parent.name == "picture"
    assert first["alt"] == "First" and "loading" not in first.attrs
    assert second["loading"] == "lazy" and (second["width"], second["height"]) == ("900", "600")
    assert widths(second["srcset"]) == [480, 800, 900]
    # A picture from elsewhere cannot be resized; it still waits until it is needed.
    assert far.attrs == {"alt": "Elsewhere", "src": "https://images.example.com/far.jpg",
                         "decoding": "async", "loading": "lazy"}


def test_below_a_lead_image_every_picture_of_the_text_is_lazy(tmp_path):
    config = site(tmp_path, {"one.jpg": photo(800, 400)}, {
        "content/news/2024-05-01-a.md": article("A", body="![One](/media/one.jpg)\n",
                                                image="/media/one.jpg", **ALT)})
    build_site(config, now=NOW)
    page = soup(tmp_path / "public/news/a/index.html")
    assert "loading" not in page.select_one("figure.lead-image img").attrs
    assert page.select_one(".prose img")["loading"] == "lazy"


def test_the_orientation_a_camera_recorded_is_applied(tmp_path):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    config = site(tmp_path, {"tall.jpg": photo(1000, 500, exif=exif.tobytes())},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/tall.jpg",
                                                           **ALT)})
    build_site(config, now=NOW)
    img = soup(tmp_path / "public/news/a/index.html").select_one("figure img")
    assert (img["width"], img["height"]) == ("500", "1000")
    with Image.open(output(tmp_path, img["src"])) as made:
        assert made.size == (500, 1000)
        assert 0x0112 not in made.getexif()  # (and no EXIF at all: where it was taken)


def test_cmyk_photographs_become_rgb_and_transparency_is_kept(tmp_path):
    logo = Image.new("RGBA", (600, 400), (11, 93, 122, 255))
    logo.putalpha(Image.linear_gradient("L").resize((600, 400)))  # from clear to opaque
    data = io.BytesIO()
    logo.save(data, "PNG")
    config = site(tmp_path, {"print.jpg": photo(600, 400, mode="CMYK"),
                             "logo.png": data.getvalue()})
    build_site(config, now=NOW)
    made = {path.name: path for path in (tmp_path / "public/media").iterdir()}
    with Image.open(next(p for n, p in made.items() if n.startswith("print.")
                         and n.endswith(".600.jpg"))) as cmyk:
        assert cmyk.mode == "RGB"
    for suffix in (".600.png", ".600.webp"):
        with Image.open(next(p for n, p in made.items() if n.startswith("logo.")
                             and n.endswith(suffix))) as alpha:
            assert alpha.mode == "RGBA"


def test_an_animation_is_kept_as_it_is(tmp_path):
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("red", "green", "blue")]
    data = io.BytesIO()
    frames[0].save(data, "GIF", save_all=True, append_images=frames[1:], duration=100)
    config = site(tmp_path, {"spin.gif": data.getvalue()},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/spin.gif", **ALT)})
    build_site(config, now=NOW)
    img = soup(tmp_path / "public/news/a/index.html").select_one("figure img")
    assert img["src"] == "/media/spin.gif"
    assert (img["width"], img["height"]) == ("120", "80")
    assert "srcset" not in img.attrs
    assert sorted(p.name for p in (tmp_path / "public/media").iterdir()) == ["spin.gif"]


def test_svg_is_copied_never_rasterised_and_a_script_in_it_is_refused(tmp_path):
    drawing = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 720 260"><rect/></svg>'
    config = site(tmp_path, {"plan.svg": drawing.encode()},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/plan.svg", **ALT)})
    build_site(config, now=NOW)
    img = soup(tmp_path / "public/news/a/index.html").select_one("figure img")
    assert (img["src"], img["width"], img["height"]) == ("/media/plan.svg", "720", "260")
    assert sorted(p.name for p in (tmp_path / "public/media").iterdir()) == ["plan.svg"]

    (tmp_path / "content/media/plan.svg").write_text(
        drawing.replace("<rect/>", '<rect onclick="steal()"/>'), encoding="utf-8")
    with pytest.raises(BuildError) as raised:
        build_site(config, now=NOW)
    assert [str(p) for p in raised.value.problems] == [
        "content/media/plan.svg: the SVG holds a script or an event handler (onload=), which "
        "would run for a reader who opens it; export the drawing again without scripts"]


def _bomb() -> bytes:
    """A PNG that says it is 20,000 pixels square (400 million), in a few bytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 20000, 20000, 8, 0,
                                                               0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


def test_bad_images_are_reported_at_their_path_with_every_other_problem(tmp_path):
    whole = photo(800, 600)
    config = site(tmp_path, {"cut.jpg": whole[:len(whole) // 2], "bomb.png": _bomb(),
                             "notes.jpg": b"not a picture at all"},
                  {"content/news/2024-05-01-a.md": article("A", date="someday")})
    (tmp_path / "public").mkdir()
    with pytest.raises(BuildError) as raised:
        build_site(config, now=NOW)
    problems = [str(p) for p in raised.value.problems]
    assert problems[0].startswith("content/news/2024-05-01-a.md:3: date:")
    found = {p.split(":")[0]: p.split(": ", 1)[1] for p in problems[1:]}
    assert found["content/media/bomb.png"] == (
        "the image is too large to resize safely (more than 89 million pixels); save it at "
        "most 4,000 pixels wide")
    assert found["content/media/cut.jpg"].startswith("the image file is damaged or cut short")
    assert found["content/media/cut.jpg"].endswith("; export it again from the original")
    assert found["content/media/notes.jpg"] == (
        "is not an image newsroom can read; save it as JPEG, PNG, WebP or GIF (or SVG for a "
        "drawing)")
    assert not any(Path(tmp_path / "public").iterdir())  # the output is as it was


def test_a_build_with_the_same_images_does_no_image_work(tmp_path, monkeypatch):
    config = site(tmp_path, {"hall.jpg": photo(1000, 500)},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/hall.jpg", **ALT),
                   "content/news/2024-05-02-b.md": article("B")}, share_cards=True)
    build_site(config, now=NOW)
    first = soup(tmp_path / "public/news/a/index.html").select_one("figure").decode()

    def refuse(*args: object) -> None:
        raise AssertionError("an image was made again")

    monkeypatch.setattr(images, "_make_variants", refuse)
    monkeypatch.setattr(images, "_make_card", refuse)
    (tmp_path / "content/news/2024-05-01-a.md").write_text(
        article("A", body="Other words.", image="/media/hall.jpg", **ALT), encoding="utf-8")
    build_site(config, now=NOW, jobs=1)
    assert soup(tmp_path / "public/news/a/index.html").select_one("figure").decode() == first
    assert soup(tmp_path / "public/news/b/index.html").find("meta", property="og:image")


def test_a_changed_or_tampered_image_is_made_again(tmp_path):
    config = site(tmp_path, {"hall.jpg": photo(1000, 500)},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/hall.jpg", **ALT)})
    build_site(config, now=NOW)
    src = soup(tmp_path / "public/news/a/index.html").select_one("figure img")["src"]

    # A file of the cache edited by hand is not believed.
    [kept] = (tmp_path / ".newsroom-cache/images").glob("*/1000.jpg")
    kept.write_bytes(b"tampered")
    build_site(config, now=NOW)
    assert Image.open(output(tmp_path, src)).size == (1000, 500)

    (tmp_path / "content/media/hall.jpg").write_bytes(photo(1000, 400))
    build_site(config, now=NOW)
    img = soup(tmp_path / "public/news/a/index.html").select_one("figure img")
    assert img["src"] != src and img["height"] == "400"
    assert not output(tmp_path, src).exists()


def test_social_networks_get_1200_wide_and_search_engines_three_crops(tmp_path):
    config = site(tmp_path, {"hall.jpg": photo(1800, 1200)}, {
        "content/news/2024-05-01-a.md": article("A", image="/media/hall.jpg", **ALT),
        "content/events/2027-01-01-talk.yaml": yaml.safe_dump(
            {"title": "Talk", "start": "2027-01-01 10:00", "image": "/media/hall.jpg", **ALT})})
    build_site(config, now=NOW)
    for page in ("news/a", "events/2027-01-01-talk"):
        html = soup(tmp_path / "public" / page / "index.html")
        shared = html.find("meta", property="og:image")["content"]
        assert shared.startswith("https://news.example.org/media/hall.")
        assert shared.endswith(".1200.jpg")
        assert html.find("meta", property="og:image:width")["content"] == "1200"
        assert html.find("meta", property="og:image:height")["content"] == "800"
        assert html.find("meta", attrs={"name": "twitter:card"})["content"] == \
            "summary_large_image"
        [data] = [json.loads(s.string)
                  for s in html.find_all("script", type="application/ld+json")]
        shapes = []
        for url in data["image"]:
            with Image.open(output(tmp_path, url.removeprefix("https://news.example.org"))) \
                    as crop:
                shapes.append((crop.width, crop.height))
        assert shapes == [(1200, 675), (1200, 900), (1200, 1200)]


def test_a_page_without_a_picture_is_shared_with_a_card(tmp_path):
    config = site(tmp_path, {}, {
        "content/news/2024-05-01-a.md": article("A headline that says what happened",
                                                category="Reports")}, share_cards=True)
    build_site(config, now=NOW)
    html = soup(tmp_path / "public/news/a/index.html")
    shared = html.find("meta", property="og:image")["content"]
    path = shared.removeprefix("https://news.example.org/")
    assert path.startswith("news/a/share.")
    with Image.open(tmp_path / "public" / path) as card:
        assert (card.format, card.size) == ("PNG", (1200, 630))
        # In the theme's colour, the text in white.
        colours = {colour for _, colour in card.convert("RGB").getcolors(4096)}
        assert (11, 93, 122) in colours and (255, 255, 255) in colours
    assert html.find("meta", property="og:image:alt")["content"] == \
        "A headline that says what happened"

    (tmp_path / "site_config.yaml").write_text(
        (tmp_path / "site_config.yaml").read_text().replace("share_cards: true",
                                                            "share_cards: false"))
    build_site(config, now=NOW)
    html = soup(tmp_path / "public/news/a/index.html")
    assert html.find("meta", property="og:image") is None
    assert not list((tmp_path / "public/news").glob("*/share.*.png"))


def test_a_card_says_the_headline_in_lines_that_fit(tmp_path):
    card = images.draw_card("word " * 60, "Reports", "The Site", "#0b5d7a")
    assert card.size == (1200, 630)
    # Cut short with an ellipsis after four lines, never past the right margin.
    box = card.convert("L").point(lambda v: 255 if v > 128 else 0).getbbox()
    assert box is not None and box[2] <= 1200 - 72 + 2


def test_a_share_card_font_that_cannot_be_read_is_a_problem(tmp_path):
    config = site(tmp_path, {}, {"content/news/2024-05-01-a.md": article("A")},
                  share_cards=True, params={"share_card_font": "fonts/missing.ttf"})
    with pytest.raises(BuildError) as raised:
        build_site(config, now=NOW)
    [problem] = raised.value.problems
    assert str(problem).startswith("site_config.yaml: params: share_card_font: the share "
                                   "cards' font cannot be read (No such file or directory)")


def test_feeds_carry_the_1200_wide_picture_with_its_length(tmp_path):
    config = site(tmp_path, {"hall.jpg": photo(1500, 1000)},
                  {"content/news/2024-05-01-a.md": article("A", image="/media/hall.jpg", **ALT)})
    build_site(config, now=NOW)
    [entry] = feedparser.parse(tmp_path / "public/feed.xml").entries
    [enclosure] = entry.enclosures
    assert enclosure.href.endswith(".1200.jpg")
    path = output(tmp_path, enclosure.href.removeprefix("https://news.example.org"))
    assert int(enclosure.length) == path.stat().st_size
    assert enclosure.type == "image/jpeg"
