"""Draw the app's PNG icons from favicon.svg's design (a gold glass on the dark tile), for the
web app manifest and the home screen: `.venv/bin/python web/scripts/make_icons.py`.
Pillow comes with the workspace (matplotlib's dependency); the PNGs are committed."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

PUBLIC = Path(__file__).resolve().parents[1] / "public"
TILE = (0x1D, 0x1A, 0x24, 255)  # favicon.svg's rect, the manifest's theme colour
GOLD = (0xF2, 0xB1, 0x38, 255)
# favicon.svg's path on its 64-unit grid: M14 14h36L34 34v14h8v4H22v-4h8V34z
GLASS = [
    (14, 14),
    (50, 14),
    (34, 34),
    (34, 48),
    (42, 48),
    (42, 52),
    (22, 52),
    (22, 48),
    (30, 48),
    (30, 34),
]
OVERSAMPLE = 4  # drawn large, then scaled down: smooth edges without an SVG renderer


def draw(size: int, *, maskable: bool = False, badge: bool = False) -> Image.Image:
    big = size * OVERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable:
        # A maskable icon fills the square; the launcher cuts its own shape out of the middle
        # 80%, so the glass is shrunk into that safe zone.
        pen.rectangle((0, 0, big, big), fill=TILE)
        scale, offset = big * 0.8 / 64, big * 0.1
    else:
        scale, offset = big / 64, 0.0
        if not badge:
            pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=14 * scale, fill=TILE)
    colour = (255, 255, 255, 255) if badge else GOLD  # a badge is a silhouette Android tints
    pen.polygon([(offset + x * scale, offset + y * scale) for x, y in GLASS], fill=colour)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    icons = PUBLIC / "icons"
    icons.mkdir(exist_ok=True)
    draw(192).save(icons / "icon-192.png", optimize=True)
    draw(512).save(icons / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(icons / "maskable-512.png", optimize=True)
    draw(180, maskable=True).save(icons / "apple-touch-icon-180.png", optimize=True)
    draw(96, badge=True).save(icons / "badge-96.png", optimize=True)


if __name__ == "__main__":
    main()
