"""Pictures as readers get them (Pillow): every image of content/media in a few widths and
modern formats, its size for the page, crops for search engines; and share cards, the
pictures social networks show of a page that has none of its own.

Images are made in the workers and kept in the build cache (by a hash of the image's bytes,
or of what a card shows), so a build whose images are unchanged does no image work: it
only looks at the files' stat. An image that cannot be used is a Problem, never a traceback.
"""

from __future__ import annotations

import hashlib
import html
import io
import os
import re
import warnings
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from PIL import Image, ImageCms, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError, features

from newsroom.cache import Store, digest, files_folder
from newsroom.content import Asset
from newsroom.markup import tag_attributes
from newsroom.problems import Problem, site_path
from newsroom.workers import parallel_map

# Widths a picture is made in (never wider than it is): a phone's to a wide screen's, at
# twice the pixels where screens have them.
WIDTHS = (480, 800, 1200, 1600, 1920)
SHARE_WIDTH = 1200  # OpenGraph and Twitter's large picture
# The shapes search engines crop a page's picture to (Google's article documentation).
CROPS = ((16, 9), (4, 3), (1, 1))
CARD_SIZE = (1200, 630)
RASTER = {".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".tif", ".tiff", ".bmp"}
MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "AVIF": "image/avif",
        "GIF": "image/gif", "SVG": "image/svg+xml"}
SUFFIX = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
# Chosen for photographs on the web: small files that a picture editor would pass.
# (AVIF at speed 8: a quarter of the time of its default, 6, for files 5 % larger.)
SAVE: dict[str, dict[str, Any]] = {
    "JPEG": {"quality": 82, "progressive": True, "optimize": True},
    "PNG": {"compress_level": 6},
    "WEBP": {"quality": 80, "method": 4},
    "AVIF": {"quality": 60, "speed": 8},
}
_SCRIPT_IN_SVG = re.compile(r"<script|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def settings() -> str:
    """Everything besides an image's bytes that decides what is made of it: the images
    store's settings, so that other settings or code never take over what these made."""
    return digest(Path(__file__).read_bytes(), Image.__version__, str(_formats("JPEG")),
                  repr((WIDTHS, SHARE_WIDTH, CROPS, CARD_SIZE, SAVE)))


@dataclass(frozen=True)
class Variant:
    """One file made of a picture: its address in the site, its size and its type."""

    url_path: str  # "media/photo.1a2b3c4d.800.webp"
    width: int
    height: int
    mime: str


@dataclass(frozen=True)
class Picture:
    """An image of content/media as pages show it."""

    url_path: str  # the original's, copied as it is: "media/photo.jpg"
    width: int | None  # None: an SVG that does not say
    height: int | None
    mime: str
    # One set of widths per format, the best first; the last is the fallback, in the
    # original's format. Empty for what is kept as it is (SVG, animations).
    sources: tuple[tuple[Variant, ...], ...] = ()
    crops: tuple[Variant, ...] = ()  # 16:9, 4:3 and 1:1, for JSON-LD

    @property
    def share(self) -> Variant | None:
        """The picture for OpenGraph and Twitter: the fallback 1,200 wide (or as wide as it
        is), in a format every network reads."""
        if not self.sources:
            return None
        fitting = [v for v in self.sources[-1] if v.width <= SHARE_WIDTH]
        return fitting[-1] if fitting else self.sources[-1][0]


@dataclass(frozen=True)
class Pictures:
    """Every picture of the site, by the original's address ('media/photo.jpg'), and the
    files made of them, to be copied into the output."""

    by_path: dict[str, Picture] = field(default_factory=dict)
    files: tuple[Asset, ...] = ()
    fingerprint: str = ""

    def of(self, link: str | None, base_path: str = "/") -> Picture | None:
        """The picture a link points at ('/media/photo.jpg', or under the base path), if
        it is one of the site's."""
        if not link or not link.startswith(base_path):
            return None
        return self.by_path.get(unquote(link[len(base_path):].split("?")[0].split("#")[0]))


# --- Making the pictures -------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """One image to make in a worker: a content image's variants, or a share card."""

    key: str  # the store's key of what is made: also the name of its folder
    source: str = ""  # the image file
    card: tuple[str, ...] = ()  # a card's headline, label, site name, colour, font


def make_pictures(assets: Sequence[Asset], root: Path, store: Store, jobs: int,
                  check_svg: bool = True) -> tuple[Pictures, list[Problem]]:
    """The pictures of every image among `assets` (those of content/media), made or taken
    from the store; and the problems of those that cannot be used."""
    images = [a for a in assets if a.url_path.startswith("media/")
              and a.source.suffix.lower() in RASTER]
    keys = {a.url_path: store.key("image", _content_hash(a.source, store)) for a in images}
    entries = {key: _intact(store, key) for key in keys.values()}
    # (By key: two files of the same bytes are made once.)
    todo = {key: _Job(key, str(a.source)) for a in images
            if entries[key := keys[a.url_path]] is None}
    failed = _run(list(todo.values()), store, jobs, entries, heavy=True)
    found, files, problems = {}, {}, []
    for asset in images:
        key = keys[asset.url_path]
        entry = entries[key]
        if entry is None:
            problems.append(Problem(site_path(asset.source, root), None, failed.get(key, "")))
            continue
        found[asset.url_path] = _picture(asset.url_path, key, entry)
        files.update(_files(found[asset.url_path], key, store))
    for asset in assets:
        if asset.url_path.startswith("media/") and _is_svg(asset):
            drawing, problem = _svg_picture(asset, root, check_svg)
            found.update({asset.url_path: drawing} if drawing else {})
            problems += [problem] if problem else []
    return (Pictures(found, tuple(files.values()), digest(repr(sorted(found.items())))),
            sorted(problems))


def _is_svg(asset: Asset) -> bool:
    return asset.source.suffix.lower() == ".svg"


def _content_hash(path: Path, store: Store) -> str:
    """A hash of the file's bytes, read again only when its stat changed."""
    stat = path.stat()
    known = store.key("stat", str(path), str(stat.st_size), str(stat.st_mtime_ns),
                      str(stat.st_ino))
    hashed = store.get(known)
    if hashed is None:
        hashed = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        store.put(known, hashed)
    return hashed


def _intact(store: Store, key: str) -> dict[str, Any] | None:
    """The stored entry for `key` if every file it names is there as it was made."""
    entry = store.get(key)
    if not isinstance(entry, dict):
        return None
    folder = files_folder(store) / key
    for name, (size, mtime) in entry.get("stats", {}).items():
        try:
            stat = os.stat(folder / name)
        except OSError:
            return None
        if (stat.st_size, stat.st_mtime_ns) != (size, mtime):
            return None
    return entry


def _run(todo: list[_Job], store: Store, jobs: int, entries: dict[str, Any],
         heavy: bool = False) -> dict[str, str]:
    """Make what `todo` asks for over the workers, into the store and `entries` (by key);
    the problem of each job that failed, by key. Heavy jobs (an image takes a second or
    so) go one at a time, to workers from the second on; light ones (a card) in chunks,
    to workers only when there are many."""
    if not todo:
        return {}
    folder = files_folder(store)
    results = parallel_map(_make_chunk, todo, jobs, str(folder), chunk=1 if heavy else 0,
                           min_items=2 if heavy else 0)[0]
    failed = {}
    for job, result in zip(todo, results, strict=True):
        if isinstance(result, str):
            failed[job.key] = result
        else:
            store.put(job.key, result)
            entries[job.key] = result
    return failed


def _make_chunk(todo: Sequence[_Job], folder: str) -> list[dict[str, Any] | str]:
    """In a worker: each job's entry, or what is wrong with its image."""
    return [_make_card(job, Path(folder) / job.key) if job.card
            else _make_variants(job.source, Path(folder) / job.key) for job in todo]


def _picture(url_path: str, key: str, entry: dict[str, Any]) -> Picture:
    """A picture from its entry: the variants named after the original, with the key."""
    stem = url_path.rsplit(".", 1)[0]

    def variant(name: str, width: int, height: int) -> Variant:
        return Variant(f"{stem}.{key[:8]}.{name}", width, height,
                       MIME[_format_of(name)])

    return Picture(url_path, entry["size"][0], entry["size"][1], entry["mime"],
                   tuple(tuple(variant(*v) for v in widths) for widths in entry["sources"]),
                   tuple(variant(*v) for v in entry["crops"]))


def _format_of(name: str) -> str:
    suffix = name.rsplit(".", 1)[1]
    return next(fmt for fmt, known in SUFFIX.items() if known == suffix)


def _files(picture: Picture, key: str, store: Store) -> dict[str, Asset]:
    """The files made of a picture, as assets to copy from the store into the output."""
    folder = files_folder(store) / key
    made = [*(v for widths in picture.sources for v in widths), *picture.crops]
    # (Each is kept in the store under its last two names: "800.webp".)
    return {v.url_path: Asset(folder / ".".join(v.url_path.rsplit(".", 2)[-2:]), v.url_path)
            for v in made}


# --- In a worker: one image's variants ------------------------------------------------------


def _make_variants(source: str, folder: Path) -> dict[str, Any] | str:
    """Every width and format of an image, its crops, written into `folder`; the entry that
    describes them, or what is wrong with the image."""
    opened = _opened(source)
    if isinstance(opened, str):
        return opened
    image, original = opened
    if image is None:  # an animation is kept as it is: a still of it would lose what it shows
        return {"size": list(original[1]), "mime": MIME.get(original[0], "image/gif"),
                "sources": [], "crops": [], "stats": {}}
    return _write_variants(image, original[0], folder)


def _opened(source: str) -> tuple[Image.Image | None, tuple[str, tuple[int, int]]] | str:
    """The image decoded, upright and in RGB(A), with its format and size (None for an
    animation); or what is wrong with it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                original = (image.format or "", image.size)
                if getattr(image, "is_animated", False):
                    return None, original
                image.load()
                return _in_rgb(ImageOps.exif_transpose(image)), original
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return (f"the image is too large to resize safely (more than "
                f"{Image.MAX_IMAGE_PIXELS // 1_000_000} million pixels); save it at most "
                f"4,000 pixels wide")
    except UnidentifiedImageError:
        return ("is not an image newsroom can read; save it as JPEG, PNG, WebP or GIF "
                "(or SVG for a drawing)")
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        return (f"the image file is damaged or cut short ({error}); export it again from "
                f"the original")


def _in_rgb(image: Image.Image) -> Image.Image:
    """The image in RGB (RGBA when it has transparency): what browsers and encoders take.
    A CMYK image is converted through its own colour profile, when it has one."""
    icc = image.info.get("icc_profile")
    if image.mode == "CMYK" and icc:
        try:
            converted = ImageCms.profileToProfile(
                image, ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"), outputMode="RGB")
            if converted is not None:
                return converted
        except ImageCms.PyCMSError:
            pass  # a profile littlecms cannot use: the plain conversion below
    has_alpha = "A" in image.getbands() or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    kept = image if image.mode == mode else image.convert(mode)
    if image.mode != "CMYK" and icc:
        kept.info["icc_profile"] = icc
    return kept


def _formats(original: str, alpha: bool = False) -> tuple[str, ...]:
    """The formats to make, best first: AVIF (where this Pillow writes it), WebP, then the
    original's format as the fallback (for one browsers do not all show, JPEG; PNG for a
    drawing (GIF) or a picture with transparency)."""
    fallback = original if original in ("JPEG", "PNG", "WEBP") else (
        "PNG" if alpha or original == "GIF" else "JPEG")
    best = ("AVIF",) if features.check("avif") else ()
    return tuple(dict.fromkeys((*best, "WEBP", fallback)))


def _widths(width: int) -> list[int]:
    """The widths to make of an image `width` pixels wide: never wider than it is."""
    largest = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w < largest] + [largest]


def _write_variants(image: Image.Image, original: str, folder: Path) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    alpha = image.mode == "RGBA"
    formats = _formats(original, alpha)
    width, height = image.size
    sized = _resized(image, _widths(width))
    sources = [[_save(picture, folder, f"{picture.width}.{SUFFIX[fmt]}", fmt)
                for picture in sized] for fmt in formats]
    fallback = formats[-1] if formats[-1] != "WEBP" else "JPEG"
    if alpha and fallback == "JPEG":
        fallback = "PNG"
    crops = [_save(_cropped(image, shape), folder, f"{shape[0]}x{shape[1]}.{SUFFIX[fallback]}",
                   fallback) for shape in CROPS]
    stats = {}
    for name in os.listdir(folder):
        if not name.startswith("."):
            stat = os.stat(folder / name)
            stats[name] = [stat.st_size, stat.st_mtime_ns]
    return {"size": [width, height], "mime": MIME.get(original, "image/jpeg"),
            "sources": sources, "crops": crops, "stats": stats}


def _resized(image: Image.Image, widths: list[int]) -> list[Image.Image]:
    """The image at each width, the smaller ones made from the largest (sharp, and quicker
    than each from the original)."""
    largest = _at_width(image, widths[-1])
    return [_at_width(largest, w) for w in widths[:-1]] + [largest]


def _at_width(image: Image.Image, width: int) -> Image.Image:
    if width == image.width:
        return image
    height = max(1, round(image.height * width / image.width))
    resized = image.resize((width, height), Image.Resampling.LANCZOS, reducing_gap=3.0)
    resized.info = dict(image.info)
    return resized


def _cropped(image: Image.Image, shape: tuple[int, int]) -> Image.Image:
    """The largest centred crop of the image in the shape, at most SHARE_WIDTH wide."""
    across, down = shape
    width = min(image.width, image.height * across // down)
    height = width * down // across
    left, top = (image.width - width) // 2, (image.height - height) // 2
    crop = image.crop((left, top, left + width, top + height))
    crop.info = dict(image.info)
    return _at_width(crop, min(width, SHARE_WIDTH))


def _save(image: Image.Image, folder: Path, name: str, fmt: str) -> list[Any]:
    """Write the image into the folder (whole or not at all); its [name, width, height]."""
    buffer = io.BytesIO()
    options = dict(SAVE[fmt])
    icc = image.info.get("icc_profile")
    if icc:
        options["icc_profile"] = icc
    # (No EXIF is written: the orientation is applied, and where it was taken stays private.)
    image.save(buffer, fmt, **options)
    _write_whole(folder / name, buffer.getvalue())
    return [name, image.width, image.height]


def _write_whole(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    temporary.write_bytes(data)
    os.replace(temporary, path)


# --- SVG -------------------------------------------------------------------------------------


def _svg_picture(asset: Asset, root: Path, check_script: bool
                 ) -> tuple[Picture | None, Problem | None]:
    """An SVG as it is (never rasterised), with the size it says it has."""
    where = site_path(asset.source, root)
    try:
        text = asset.source.read_text(encoding="utf-8", errors="replace")
        width, height = _svg_size(text)
    except (OSError, ElementTree.ParseError) as error:
        return None, Problem(where, None, f"is not a well-formed SVG drawing ({error}); "
                                          "export it again")
    if check_script and _SCRIPT_IN_SVG.search(text):
        return None, Problem(where, None, "the SVG holds a script or an event handler "
                                          "(onload=), which would run for a reader who "
                                          "opens it; export the drawing again without "
                                          "scripts")
    return Picture(asset.url_path, width, height, MIME["SVG"]), None


def _svg_size(text: str) -> tuple[int | None, int | None]:
    """The size an SVG's root element gives: width and height in pixels, else its
    viewBox's."""
    for _, element in ElementTree.iterparse(io.StringIO(text), events=("start",)):
        width, height = (_pixels(element.get(name)) for name in ("width", "height"))
        box = (element.get("viewBox") or "").replace(",", " ").split()
        if (width is None or height is None) and len(box) == 4:
            try:
                width, height = round(float(box[2])), round(float(box[3]))
            except ValueError:
                return None, None
        return width, height
    return None, None


def _pixels(value: str | None) -> int | None:
    found = re.fullmatch(r"\s*([\d.]+)\s*(px)?\s*", value or "")
    try:
        return round(float(found.group(1))) if found else None
    except ValueError:
        return None


# --- Share cards ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareCards:
    """The share card of each page that has no picture of its own, by the page's folder in
    the output ('news/2020/a-headline/'), and their files."""

    by_folder: dict[str, Variant] = field(default_factory=dict)
    files: tuple[Asset, ...] = ()


@dataclass(frozen=True)
class CardText:
    """What one share card says, and the folder of the page it is for (it is put there)."""

    folder: str
    headline: str
    label: str  # the category, or the kind of page ("Event")


def make_share_cards(cards: Sequence[CardText], site_name: str, colour: str, font: Path | None,
                     store: Store, jobs: int) -> tuple[ShareCards, list[str]]:
    """A 1200×630 picture for each card (made, or from the store); what went wrong."""
    try:
        stat = font.stat() if font else None
    except OSError as error:
        return ShareCards(), [f"the share cards' font cannot be read ({error.strerror}); "
                              "name a .ttf or .otf file of the site"]
    typeface = (str(font), stat.st_size, stat.st_mtime_ns) if font and stat else ("", 0, 0)
    keys = {card.folder: store.key("card", card.headline, card.label, site_name, colour,
                                   repr(typeface)) for card in cards}
    entries = {key: _intact(store, key) for key in keys.values()}
    todo = {key: _Job(key, card=(card.headline, card.label, site_name, colour, typeface[0]))
            for card in cards if entries[key := keys[card.folder]] is None}
    failed = _run(list(todo.values()), store, jobs, entries)
    by_folder, files = {}, []
    folder = files_folder(store)
    for card in cards:
        key = keys[card.folder]
        if entries[key] is not None:
            by_folder[card.folder] = Variant(f"{card.folder}share.{key[:8]}.png", *CARD_SIZE,
                                             MIME["PNG"])
            files.append(Asset(folder / key / "card.png", by_folder[card.folder].url_path))
    return ShareCards(by_folder, tuple(files)), sorted(set(failed.values()))


def _make_card(job: _Job, folder: Path) -> dict[str, Any] | str:
    headline, label, site_name, colour, font = job.card
    try:
        image = draw_card(headline, label, site_name, colour, font)
    except OSError as error:
        return f"the font {font} cannot be read ({error}); name a .ttf or .otf file"
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=3)
    _write_whole(folder / "card.png", buffer.getvalue())
    stat = os.stat(folder / "card.png")
    return {"stats": {"card.png": [stat.st_size, stat.st_mtime_ns]}}


# A card is drawn in shades of one grey, the text's from 0 (none) to TEXT, and the band at
# its foot BAND; its palette then gives each shade its colour. Drawn so, a card is a fifth
# of the size of one in full colour, and made in a quarter of the time of one reduced to a
# palette afterwards (12 ms against 50 ms: at 5,000 articles, a minute of a cold build).
TEXT, BAND = 250, 255


def draw_card(headline: str, label: str, site_name: str, colour: str, font: str = ""
              ) -> Image.Image:
    """A share card: the label, the headline large, and the site's name, in white on the
    site's colour over a darker band."""
    width, height = CARD_SIZE
    image = Image.new("L", CARD_SIZE, 0)
    draw = ImageDraw.Draw(image)
    margin = 72
    draw.rectangle((0, height - 16, width, height), fill=BAND)
    draw.text((margin, margin), label.upper(), font=_font(font, 34), fill=TEXT)
    size, lines = _fitted(headline, font, width - 2 * margin, draw)
    top = margin + 70
    for line in lines:
        draw.text((margin, top), line, font=_font(font, size), fill=TEXT)
        top += round(size * 1.2)
    draw.text((margin, height - margin - 40), site_name, font=_font(font, 38), fill=TEXT)
    image.putpalette(_palette(colour))
    return image


def _palette(colour: str) -> list[int]:
    """Each shade of a card as its colour: the background blended into white, and the
    band."""
    background = Image.new("RGB", (1, 1), colour).getpixel((0, 0))
    assert isinstance(background, tuple)
    palette: list[int] = []
    for shade in range(256):
        if shade == BAND:
            palette += [part * 2 // 3 for part in background]
        else:
            palette += [round(part + (255 - part) * min(shade, TEXT) / TEXT)
                        for part in background]
    return palette


def _fitted(text: str, font: str, width: int, draw: ImageDraw.ImageDraw
            ) -> tuple[int, list[str]]:
    """The largest size (of a few) at which the headline fits four lines; its lines, the
    last cut short with an ellipsis if it still does not fit."""
    for size in (72, 62, 54, 46):
        lines = _wrapped(text, _font(font, size), width, draw)
        if len(lines) <= 4:
            return size, lines
    lines = _wrapped(text, _font(font, 46), width, draw)
    return 46, lines[:3] + [_cut(lines[3], _font(font, 46), width, draw)]


def _wrapped(text: str, font: Any, width: int, draw: ImageDraw.ImageDraw) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(candidate, font=font) <= width:
            lines[-1] = candidate
        else:
            lines.append(word)
    return lines


def _cut(line: str, font: Any, width: int, draw: ImageDraw.ImageDraw) -> str:
    while line and draw.textlength(line + " …", font=font) > width:
        line = line.rsplit(" ", 1)[0] if " " in line else line[:-1]
    return line + " …"


@lru_cache(maxsize=16)
def _font(path: str, size: int) -> Any:
    """The font at a size: the site's, else Pillow's own (Latin letters only)."""
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


# --- HTML --------------------------------------------------------------------------------


def picture_html(picture: Picture, href: Callable[[str], str], alt: str, *, sizes: str,
                 lazy: bool = True, css_class: str = "", attributes: str = "") -> str:
    """A <picture> of the picture: a <source> per format, and an <img> with its fallback,
    srcset, sizes, width and height (so nothing moves as it loads), decoded off the main
    thread and loaded lazily unless it is the first picture of its page."""
    parts = [f'<picture class="{css_class}">' if css_class else "<picture>"]
    for widths in picture.sources[:-1]:
        parts.append(f'<source type="{widths[0].mime}" srcset="{_srcset(widths, href)}" '
                     f'sizes="{sizes}">')
    src = href(picture.url_path)
    srcset = ""
    if picture.sources:
        fallback = picture.sources[-1]
        src = href(fallback[-1].url_path)
        srcset = f' srcset="{_srcset(fallback, href)}" sizes="{sizes}"'
    largest = picture.sources[-1][-1] if picture.sources else picture
    size = (f' width="{largest.width}" height="{largest.height}"'
            if largest.width and largest.height else "")
    loading = ' loading="lazy"' if lazy else ""
    parts.append(f'<img src="{src}"{srcset}{size} alt="{html.escape(alt)}"{attributes} '
                 f'decoding="async"{loading}></picture>')
    return "".join(parts)


def _srcset(widths: Sequence[Variant], href: Callable[[str], str]) -> str:
    return ", ".join(f"{href(v.url_path)} {v.width}w" for v in widths)


_IMAGE = re.compile(r"<img\b[^>]*>")


def with_pictures(fragment: str, pictures: Pictures, base_path: str,
                  href: Callable[[str], str], *, sizes: str, lazy_first: bool = True) -> str:
    """An article's HTML (its links under `base_path`) with each of its images of the site
    as a <picture> (see picture_html; `href` gives a file's address), and every other image
    decoded asynchronously and loaded lazily (the first one too, unless `lazy_first` is
    off)."""
    if "<img" not in fragment:
        return fragment
    seen = [not lazy_first]

    def replace(found: re.Match[str]) -> str:
        attributes = tag_attributes(found.group(0))
        lazy = not seen[0]
        seen[0] = False
        picture = pictures.of(html.unescape(attributes.get("src", "")), base_path)
        if picture is None:
            return _plain_image(found.group(0), attributes, lazy)
        extra = "".join(f' {name}="{value}"' for name, value in attributes.items()
                        if name in ("title", "id", "class"))
        return picture_html(picture, href, html.unescape(attributes.get("alt", "")),
                            sizes=sizes, lazy=lazy, attributes=extra)

    return _IMAGE.sub(replace, fragment)


def _plain_image(tag: str, attributes: dict[str, str], lazy: bool) -> str:
    """An image from elsewhere, as it was, decoded asynchronously (and loaded lazily)."""
    added = "" if "decoding" in attributes else ' decoding="async"'
    if lazy and "loading" not in attributes:
        added += ' loading="lazy"'
    end = " />" if tag.endswith("/>") else ">"
    return tag[: -len(end)].rstrip() + added + end
