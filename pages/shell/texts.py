"""Text from data shown as text."""

from __future__ import annotations


def escape_md(text: object) -> str:
    """Text from a file, shown as text: Markdown and HTML characters escaped."""
    out = str(text)
    for ch in "\\`*_{}[]()<>#+-.!|~$":
        out = out.replace(ch, "\\" + ch)
    return out
