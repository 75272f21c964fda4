"""The Chinese edition of the site (/zh/): built with the English one, in a browser, searched, switched to.

Oracles: the HTML on disk and mkdocs' own build log (which notebooks it converted, and how often);
docs/ (which pages have a page.zh.md); the browser's console and network events; the DOM (the
page's lang, typeset math, the widgets' text); Material's search results; the URL the language
switcher leads to. Numbers in the Chinese widgets are checked against the same formulas as the
English ones (test_browser.py), so translation cannot have changed what they compute.
"""

from __future__ import annotations

import html
import math
import re

import pytest

from site_pages import page_paths, translated, zh_page_paths

NOTEBOOKS = ("fashion-mnist", "softmax-regression-scratch", "softmax-regression-concise")
LESSONS = ("classification", "softmax", "cross-entropy", "questions")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _article(text: str) -> str:
    """The page's content: Material's <article>, without the nav, header and footer."""
    start = text.index('<article class="md-content__inner')
    return text[start:text.index("</article>", start)]


def _visible(fragment: str) -> str:
    """Text of an HTML fragment without code, scripts, styles and math markup."""
    fragment = re.sub(r"<(script|style|pre|code|annotation|svg)\b.*?</\1>", " ", fragment, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def _zh_file(site, path: str):
    return site / "zh" / path / "index.html"


# --- The build -------------------------------------------------------------------------------------


def test_both_languages_build_strictly_with_every_notebook_converted_at_most_once(built_site):
    """Does the strict build make the /zh/ site as well, converting each notebook at most once (never per language)?"""
    assert "Building 'zh' documentation" in built_site.output
    for name in NOTEBOOKS:
        conversions = re.findall(rf"Converting notebook \(execute=\w+\): \S*/{name}\.ipynb", built_site.output)
        assert len(conversions) <= 1, f"{name} was converted {len(conversions)} times in one build"
    missing = [path for path in zh_page_paths() if not (built_site.site / path / "index.html").is_file()]
    assert missing == []


def test_chinese_pages_are_chinese_and_fallbacks_are_marked(built_site):
    """Is every translated page mostly Chinese with lang="zh", and every untranslated one labelled and marked lang="en"?"""
    for path in page_paths():
        text = _zh_file(built_site.site, path).read_text(encoding="utf-8")
        assert re.search(r'<html[^>]*\blang="zh"', text), path
        article = _visible(_article(text))
        if translated(path) or path.startswith("lessons/"):  # notebooks: a Chinese introduction
            assert len(CJK.findall(article)) > 150, f"zh/{path} has little Chinese"
            assert "zh-fallback" not in text, path
        else:
            assert '<div class="admonition note zh-fallback" lang="zh">' in text and '<div lang="en" class="zh-fallback-en">' in text, path
            assert "（英文）" in text, f"zh/{path}: the navigation does not say the page is in English"


def test_translated_sources_exist_for_the_required_pages():
    """Home, the Markdown lessons, every exercise, the student guide, the questions and the glossary have page.zh.md."""
    required = ["", "glossary/", "guides/students/", *(f"lessons/{n}/" for n in LESSONS),
                *(p for p in page_paths() if p.startswith("exercises/"))]
    assert [p for p in required if not translated(p)] == []


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebooks_render_as_pages_with_chinese_prose(built_site, name):
    """Is each notebook a rendered page on /zh/ (not a download), under a Chinese h1, note and banner, its Markdown
    cells Chinese prose and its code and outputs the English page's, with its own download?

    Oracle for "Chinese prose": of the letters in the Markdown cells' visible text (code and math left out), at least
    70 % are CJK characters (the translations measure 82-92 %; an English cell is 0 %)."""
    site = built_site.site
    text = _zh_file(site, f"lessons/{name}").read_text(encoding="utf-8")
    article = _article(text)
    h1 = re.search(r"<h1\b[^>]*>(.*?)</h1>", article, re.S).group(1)
    assert CJK.search(h1), f"the first heading is not Chinese: {h1[:80]}"
    assert "中文导读" in article and "构建本站时执行" in article  # the note and the Chinese data banner
    cells = re.findall(r'<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell" id="[^"]*" lang="(\w+)">', article)
    assert cells and set(cells) == {"zh"}, cells  # every Markdown cell translated
    prose = re.sub(r'<span class="katex">.*?</span></span></span>|<code>.*?</code>', " ",
                   "".join(_markdown_cells(article)), flags=re.S)
    letters = _visible(prose)
    cjk, latin = len(CJK.findall(letters)), len(re.findall(r"[A-Za-z]", letters))
    assert cjk / (cjk + latin) >= 0.7, f"zh/lessons/{name}: {cjk} CJK and {latin} Latin letters in its Markdown cells"
    english_page = (site / "lessons" / name / "index.html").read_text(encoding="utf-8")
    assert english_page.count("jp-OutputArea-output") == text.count("jp-OutputArea-output")  # the same executed notebook
    assert _code_cells(english_page) == _code_cells(text)  # the same code, once executed
    assert (site / "zh" / "lessons" / name / f"{name}.ipynb").is_file()  # the download button's target
    # mkdocs-static-i18n #198: the notebook copied as an asset instead of rendered, or its fallback copy at the root
    assert not (site / "zh" / "lessons" / f"{name}.ipynb").exists()
    assert not (site / "lessons" / f"{name}.ipynb").exists()


def _markdown_cells(article: str) -> list[str]:
    return re.findall(r'jp-MarkdownCell jp-Notebook-cell"[^>]*>(.*?)</div>\n</div>\n</div>\n</div>', article, re.S)


def _code_cells(page: str) -> list[str]:
    """The source of each code cell, as rendered (syntax-highlighted HTML)."""
    return re.findall(r'<div class="highlight[^"]*"><pre>(.*?)</pre>', page, re.S)


GLOSSARY_TERMS = ("softmax回归", "独热编码", "未规范化的预测", "交叉熵损失", "小批量随机梯度下降", "迭代周期",
                  "上溢", "下溢", "惊异", "纳特", "偏置", "偏差", "向量", "矢量", "准确率", "精度", "查准率", "轮")


def test_glossary_holds_the_books_terms_and_notes_where_editions_differ(built_site):
    """Does the Chinese glossary list the book's terms, choose 准确率 for accuracy and note 偏差/偏置, 矢量/向量, 精度?"""
    text = _visible(_article(_zh_file(built_site.site, "glossary").read_text(encoding="utf-8")))
    missing = [term for term in GLOSSARY_TERMS if term not in text]
    assert missing == []
    page = _article(_zh_file(built_site.site, "glossary").read_text(encoding="utf-8"))
    accuracy_row = re.search(r'<tr>(?:(?!</tr>).)*id="accuracy".*?</tr>', page, re.S).group(0)
    assert "准确率" in _visible(accuracy_row)
    assert re.search(r"第一版.{0,40}偏差", text) and re.search(r"矢量化", text) and re.search(r"精度.{0,80}precision", text)


def _glossary_links(article: str) -> list[tuple[int, str, str]]:
    """(position, anchor, text) of each link to the glossary in the article, in order."""
    return [(m.start(), m.group(1), _visible(m.group(2)).strip())
            for m in re.finditer(r'<a href="[^"]*glossary/#([\w-]+)"[^>]*>(.*?)</a>', article, re.S)]


@pytest.mark.parametrize("path", [*(f"lessons/{n}/" for n in LESSONS + NOTEBOOKS)])
def test_each_chinese_lesson_links_the_glossary_at_a_terms_first_use(built_site, path):
    """Is each term that a lesson links to the glossary linked where it first appears in the running text?"""
    article = _article(_zh_file(built_site.site, path).read_text(encoding="utf-8"))
    article = re.sub(r'<div class="jp-Cell jp-CodeCell.*?(?=<div class="jp-Cell jp-MarkdownCell|$)', " ", article,
                     flags=re.S)  # notebooks: the translated prose, not the code and its outputs
    # Running text only: not titles and headings, nor the data banner that notebooks.py puts above a notebook.
    prose = re.sub(r"<(h[1-6])\b.*?</\1>", " ", article, flags=re.S)
    prose = re.sub(r'<div class="admonition info data-banner".*?</div>', " ", prose, flags=re.S)
    links = _glossary_links(prose)
    assert len({anchor for _, anchor, _ in links}) >= 3, f"zh/{path} links few glossary terms"
    first = {}
    for position, anchor, text in links:
        first.setdefault(anchor, (position, text))

    def before(position: int) -> str:
        """The running text before `position`, without link texts (a link to a lesson already leads on)."""
        return _visible(re.sub(r"<a\b.*?</a>", " ", prose[:position], flags=re.S))

    # One-character terms (熵) also occur inside longer words (交叉熵); only words of two or more are compared.
    late = [text for position, text in first.values() if len(text) > 1 and text in before(position)]
    assert late == [], f"zh/{path}: these terms are used before their glossary link: {late}"


# --- In the browser ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", zh_page_paths())
def test_chinese_page_renders_offline(audits, path):
    """Did each /zh/ page load with no console error, no request off localhost, lang zh, typeset math (at least 5
    formulas on a lesson) and whole images? (Read from the audit's one cold load of every page.)"""
    problems = audits["render"][path].problems(formulas_at_least=5 if path.startswith("zh/lessons/") else 0, lang="zh")
    assert problems == [], problems


# English words of the widgets (docs/assets/javascripts/widgets.js, STRINGS.en) that must not show on /zh/.
ENGLISH_WIDGET_WORDS = ("explorer", "temperature", "precision", "presets", "naive formula", "stable result",
                        "true class", "learning rate", "reset", "cross-entropy", "squared loss", "nats",
                        "training loss", "accuracy", "Colours", "train", "class ", "gradient")


@pytest.mark.parametrize("path, selector", [
    ("zh/lessons/softmax/", ".softmax-explorer"),
    ("zh/lessons/cross-entropy/", ".ce-explorer"),
    ("zh/lessons/cross-entropy/", ".tug-of-war"),
    ("zh/lessons/classification/", ".decision-regions"),
])
def test_widgets_speak_chinese_on_the_chinese_site(visit, path, selector):
    """Are each widget's labels, presets, buttons and explanations Chinese, with no English word of its own left?"""
    v = visit(path)
    root = v.page.locator(selector)
    root.scroll_into_view_if_needed()
    text = root.evaluate("e => e.innerText + ' ' + [...e.querySelectorAll('[aria-label], [title]')]"
                         ".map(n => (n.getAttribute('aria-label') || '') + ' ' + (n.getAttribute('title') || '')).join(' ')")
    assert len(CJK.findall(text)) > 10, text[:200]
    left = [word for word in ENGLISH_WIDGET_WORDS if word in text]
    assert left == [], f"English left in {selector}: {left}\n{text[:400]}"
    assert v.console_errors == [] and v.page_errors == []


def _softmax(logits, temperature=1.0):
    m = max(o / temperature for o in logits)
    exps = [math.exp(o / temperature - m) for o in logits]
    return [e / sum(exps) for e in exps]


def test_chinese_widgets_compute_what_the_english_ones_do(visit):
    """Translated widgets keep their numbers: softmax bars, the naive line's verdict, -log p, and a training run."""
    page = visit("zh/lessons/softmax/").page
    widget = page.locator(".softmax-explorer")
    widget.locator("button", has_text="(1000, 10, 1000)").click()
    bars = [float(p) for p in widget.locator(".bar").evaluate_all("els => els.map(e => e.dataset.p)")]
    assert bars == pytest.approx(_softmax([1000, 10, 1000]), abs=1e-12)
    naive = widget.locator(".naive")
    assert naive.get_attribute("data-differs") == "true" and "与稳定结果不同" in naive.inner_text()
    assert "上溢" in naive.inner_text()  # the reason, in Chinese: exp overflowed
    assert widget.locator(".bar-label").all_inner_texts() == ["狗", "猫", "鸡"]  # the page's own labels

    page = visit("zh/lessons/cross-entropy/").page
    page.locator(".ce-explorer input.probability").fill("0.1")
    assert float(page.locator(".ce-explorer").get_attribute("data-loss")) == pytest.approx(-math.log(0.1), abs=1e-12)
    assert "纳特" in page.locator(".ce-explorer .readout").inner_text()

    page = visit("zh/lessons/classification/").page
    root = page.locator(".decision-regions")
    assert root.locator("button.run").inner_text().strip() == "训练"
    for _ in range(4):
        root.locator("button.steps50").click()
    assert root.get_attribute("data-steps") == "200" and float(root.get_attribute("data-accuracy")) >= 0.9
    assert "准确率" in root.locator(".readout").inner_text()


@pytest.mark.parametrize("query, lesson", [("交叉熵", "zh/lessons/cross-entropy/"), ("独热编码", "zh/lessons/classification/")])
def test_chinese_search_finds_the_lesson(visit, site_url, query, lesson):
    """Does Material's search, on the Chinese site, find the lesson for a Chinese term (jieba + the U+200B separator)?"""
    page = visit("zh/").page
    page.locator(".md-search__input").click()
    page.keyboard.type(query)
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    links = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(a => a.href)")
    pages = [re.split(r"[?#]", link)[0].removeprefix(site_url) for link in links]  # ?h= highlights the query
    assert pages[0] == lesson, f"{query}: {pages}"  # the lesson that teaches the term comes first
    assert query in results.first.inner_text().replace("\u200b", "")  # jieba's segments are joined by U+200B


@pytest.mark.parametrize("path", ["", "lessons/softmax/", "lessons/fashion-mnist/", "exercises/sgd/", "glossary/", "guides/security/"])
def test_language_switcher_moves_between_the_same_page(visit, site_url, path):
    """Does the switcher lead from a page to the same page in the other language, and back?"""
    for here, there, lang in ((path, "zh/" + path, "zh"), ("zh/" + path, path, "en")):
        page = visit(here).page
        page.locator(".md-header__option .md-select").hover()
        link = page.locator(f".md-select__link[hreflang={lang}]")
        link.click()
        page.wait_for_load_state("load")
        assert page.url == site_url + there, f"from /{here}: {page.url}"


def test_sitemap_names_no_address_it_does_not_know(built_site):
    """Without site_url the sitemap lists no "None/..." address (mkdocs-static-i18n's template does; ours skips them)."""
    text = (built_site.site / "sitemap.xml").read_text(encoding="utf-8")
    addresses = re.findall(r"<loc>([^<]*)</loc>", text) + re.findall(r'hreflang="\w+" href="([^"]*)"', text)
    assert [a for a in addresses if a.startswith("None")] == []
