"""The light Markdown a letter may use, rendered to HTML that is safe to put on a page.

Everything is escaped first; only then are our few marks turned into tags, so no HTML a
person typed ever reaches the page as HTML. Supported: paragraphs (blank lines), line
breaks, *emphasis*, **strong**, and lines starting with "> " as a quotation.
"""

from __future__ import annotations

import html
import re

# A marked span never crosses another asterisk or a line end, so an opening mark with no
# closing one costs a scan to the next "*" or newline, not to the end of the letter:
# rendering stays linear in the letter's length.
_STRONG = re.compile(r"\*\*(?=[^\s*])([^*\n]+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![*\w])\*(?=[^\s*])([^*\n]+?)(?<=\S)\*(?![*\w])")
_BLANK_LINES = re.compile(r"\n\s*\n")


def _inline(text: str) -> str:
    text = html.escape(text, quote=True)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    text = _EMPHASIS.sub(r"<em>\1</em>", text)
    return text.replace("\n", "<br>\n")


def _block(block: str) -> str:
    lines = block.split("\n")
    if all(line.startswith(">") for line in lines):
        inner = "\n".join(line[1:].removeprefix(" ") for line in lines)
        return f"<blockquote><p>{_inline(inner)}</p></blockquote>"
    return f"<p>{_inline(block)}</p>"


def render(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip("\n")
    if not text.strip():
        return ""
    blocks = [block.strip("\n") for block in _BLANK_LINES.split(text) if block.strip()]
    return "\n".join(_block(block) for block in blocks)
