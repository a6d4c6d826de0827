"""Builds README.md from docs/*.md sections (run from the repo root)."""
import re, sys, pathlib

DOCS = pathlib.Path("docs")

def sections(name):
    text = (DOCS / name).read_text()
    lines = text.split("\n")
    out, fence = [], False
    for i, l in enumerate(lines):
        if l.startswith("```"):
            fence = not fence
        m = None if fence else re.match(r"^(#+) (.*)$", l)
        out.append((i, m.group(1).__len__() if m else 0, m.group(2) if m else None))
    return lines, out

def section(name, heading, shift_to=None, body_only=False):
    lines, heads = sections(name)
    start = level = None
    # an exact title first, else the first that starts with the heading
    for exact in (True, False):
        for i, lvl, title in heads:
            if title is not None and (title == heading if exact else title.startswith(heading)):
                start, level = i, lvl
                break
        if start is not None:
            break
    if start is None:
        sys.exit(f"missing section {heading!r} in {name}")
    end = len(lines)
    for i, lvl, title in heads:
        if i > start and title is not None and lvl <= level:
            end = i
            break
    if body_only == "intro":
        for i, lvl, title in heads:
            if i > start and title is not None:
                end = min(end, i)
                break
    chunk = lines[start + (1 if body_only else 0):end]
    if shift_to is not None:
        delta = shift_to - level
        fixed, fence = [], False
        for l in chunk:
            if l.startswith("```"):
                fence = not fence
            m = None if fence else re.match(r"^(#+) (.*)$", l)
            fixed.append(("#" * max(1, len(m.group(1)) + delta) + " " + m.group(2)) if m else l)
        chunk = fixed
    return "\n".join(chunk).strip("\n") + "\n"

def pipeline(path):
    """The processors of a mailetcontainer.xml and their mailets in order, with matchers other than All and the
    processors a mailet sends mail to: generated, so that the README's pipeline never goes stale."""
    import xml.etree.ElementTree as ET
    out = []
    for proc in ET.parse(path).getroot().iter("processor"):
        if proc.get("state") is None:
            continue
        out.append(proc.get("state") + ":")
        for m in proc.findall("mailet"):
            cls = m.get("class").rsplit(".", 1)[-1]
            targets = [("" if c.tag == "processor" else c.tag + " ") + "→ " + c.text.strip()
                       for c in m if c.tag.lower().endswith("processor") and c.text]
            cond = m.get("match") or ("not " + m.get("notmatch", "All"))
            line = "  " + cls + ("" if not targets else " " + ", ".join(targets))
            if cond != "All":
                line += "   if " + cond
            if m.get("onMailetException"):
                line += "   (on exception: " + m.get("onMailetException") + ")"
            out.append(line)
    return "```text\n" + "\n".join(out) + "\n```\n"

template = pathlib.Path(sys.argv[1]).read_text()
def repl(m):
    args = [a.strip() for a in m.group(1).split("|")]
    if args[0] == "@pipeline":
        return pipeline(args[1])
    name, heading = args[0], args[1]
    shift = int(args[2]) if len(args) > 2 and args[2] else None
    body = args[3] if len(args) > 3 and args[3] in ("body", "intro") else False
    return section(name, heading, shift, body)
print(re.sub(r"\{\{(.*?)\}\}", repl, template), end="")
