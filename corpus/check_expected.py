#!/usr/bin/env python3
"""Cross-check corpus/EXPECTED.json against the sample pages (stdlib only).

Usage:  python3 corpus/check_expected.py

It re-extracts headline, author, date, canonical URL, body paragraphs and the
"sanctuary city" category from every page with a small template-aware parser
(independent of the civsearch code) and reports any disagreement with
EXPECTED.json, plus the planted-count invariants described in README.md.
Exit status 0 means everything matched.
"""
import collections
import datetime as dt
import html.parser
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}
BODY_CLASSES = {'story-body', 'cvd-article__body', 'entry-content', 'storytext'}
SKIP_CLASSES = ('ad-slot', 'cvd-adunit', 'adbox', 'newsletter', 'cvd-newsletter')
SKIP_TAGS = {'figure', 'aside', 'form', 'script', 'style', 'ins'}
MONTHS = ('January February March April May June July August September October November December').split()
YEAR_RE = re.compile(r'\b(19|20)\d\d\b')
MONTH_DAY_RE = re.compile(r'\b(%s|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)\s+\d{1,2}\b' % '|'.join(MONTHS))


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    @property
    def classes(self):
        return set((self.attrs.get('class') or '').split())

    def text(self):
        out = []
        for c in self.children:
            out.append(c if isinstance(c, str) else c.text())
        return ''.join(out)

    def walk(self):
        yield self
        for c in self.children:
            if isinstance(c, Node):
                yield from c.walk()


class TreeBuilder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node('#root', [], None)
        self.cur = self.root

    def handle_starttag(self, tag, attrs):
        n = Node(tag, attrs, self.cur)
        self.cur.children.append(n)
        if tag not in VOID:
            self.cur = n

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(Node(tag, attrs, self.cur))

    def handle_endtag(self, tag):
        n = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is not None and n.parent is not None:
            self.cur = n.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def norm(s):
    return ' '.join(s.split())


def tokens(s):
    s = unicodedata.normalize('NFKD', s.lower())
    s = ''.join(ch for ch in s if not unicodedata.combining(ch))
    return re.findall(r'[a-z0-9]+', s)


def has_pair(toks, a, b):
    return any(x == a and y == b for x, y in zip(toks, toks[1:]))


def skipped(n):
    if n.tag in SKIP_TAGS:
        return True
    return any(k in c for c in n.classes for k in SKIP_CLASSES)


def body_blocks(container):
    blocks = []

    def rec(n):
        for c in n.children:
            if isinstance(c, str):
                continue
            if skipped(c):
                continue
            if c.tag == 'p':
                blocks.append(('p', norm(c.text())))
            elif c.tag in ('h2', 'h3', 'li'):
                blocks.append((c.tag, norm(c.text())))
            else:
                rec(c)
    rec(container)
    return blocks


def parse_html(path):
    raw = open(path, encoding='utf-8').read()
    tb = TreeBuilder()
    tb.feed(raw)
    nodes = list(tb.root.walk())
    info = {'raw': raw}
    h1 = next(n for n in nodes if n.tag == 'h1')
    info['title'] = norm(h1.text())
    container = next(n for n in nodes if n.classes & BODY_CLASSES)
    info['blocks'] = body_blocks(container)
    canon = [n.attrs.get('href') for n in nodes if n.tag == 'link' and n.attrs.get('rel') == 'canonical']
    info['url'] = canon[0] if canon else None
    # author and date, template by template
    date = None
    author = None
    ld = [n for n in nodes if n.tag == 'script' and n.attrs.get('type') == 'application/ld+json']
    if ld:                                        # templates A / A2
        data = json.loads(ld[0].text())
        date = data['datePublished'][:10]
        author = data['author']['name']
        meta = [n.attrs['content'] for n in nodes if n.tag == 'meta' and n.attrs.get('property') == 'article:published_time']
        assert meta and meta[0][:10] == date, (path, 'meta article:published_time disagrees')
    else:
        vcard = [n for n in nodes if {'author', 'vcard'} <= n.classes]
        if vcard:                                 # template B
            author = norm(vcard[0].text())
            t = [n for n in nodes if n.tag == 'time' and 'entry-date' in n.classes]
            date = t[0].attrs['datetime'][:10] if t else None
        else:                                     # template C
            byl = norm(next(n for n in nodes if n.tag == 'p' and 'byline' in n.classes).text())
            m = re.match(r'By (.+?)(?: \| (.+))?$', byl)
            author = m.group(1)
            if m.group(2):
                date = dt.datetime.strptime(m.group(2), '%B %d, %Y').date().isoformat()
    info['author'], info['date'] = author, date
    # header region = everything inside <head> plus the article header; used for undated checks
    head = next(n for n in nodes if n.tag == 'head')
    hdr_texts = [norm(n.text()) for n in nodes if n.tag in ('h1',) or n.classes & {'byline', 'entry-meta', 'updated', 'story-header', 'cvd-article__head'}]
    info['header_text'] = ' '.join(hdr_texts)
    info['head_raw'] = ' '.join(f'{k}={v}' for n in head.walk() for k, v in n.attrs.items() if v)
    info['has_time_el'] = any(n.tag == 'time' and not any('comment' in ' '.join(p.classes) for p in ancestors(n)) for n in nodes)
    return info


def ancestors(n):
    p = n
    while p is not None:
        yield p
        p = p.parent


def parse_text(path):
    raw = open(path, encoding='utf-8').read()
    lines = raw.split('\n')
    info = {'raw': raw, 'title': lines[1].strip(), 'url': None}
    # header block = up to first blank line; tail = run of non-blank lines at the end
    first_blank = lines.index('')
    header = lines[:first_blank]
    end = len(lines)
    while end > 0 and lines[end - 1] == '':
        end -= 1
    tail_start = end
    while tail_start > 0 and lines[tail_start - 1] != '':
        tail_start -= 1
    body_lines = lines[first_blank:tail_start]
    blocks = [b.strip() for b in '\n'.join(body_lines).split('\n\n') if b.strip()]
    blocks = [b for b in blocks if b != 'Advertisement']
    info['blocks'] = [('p' if len(b.split()) > 8 else 'h2', norm(b)) for b in blocks]
    author = date = None
    for l in header[2:]:
        m = re.match(r'By (.+?)(?: \| (.+))?$', l) or re.match(r'Posted on (.+?) by (.+)$', l)
        if not m:
            continue
        if l.startswith('Posted on'):
            date_s, author = m.group(1), m.group(2)
        else:
            author, date_s = m.group(1), m.group(2)
        if date_s:
            date = dt.datetime.strptime(date_s, '%B %d, %Y').date().isoformat()
    info['author'], info['date'] = author, date
    info['header_text'] = ' '.join(header)
    return info


WEEKDAY_RE = re.compile(r'\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? (%s) (\d{1,2})\b' % '|'.join(MONTHS))


def main():
    expected = json.load(open(os.path.join(HERE, 'EXPECTED.json'), encoding='utf-8'))
    errors = []
    cats = collections.defaultdict(list)
    files_on_disk = sorted(os.path.relpath(os.path.join(d, f), HERE)
                           for sub in ('html', 'text') for d, _, fs in os.walk(os.path.join(HERE, sub)) for f in fs)
    if sorted(e['path'] for e in expected) != files_on_disk:
        errors.append('EXPECTED.json paths do not match the files on disk')
    phrases = collections.defaultdict(list)
    for e in expected:
        p = os.path.join(HERE, e['path'])
        info = parse_html(p) if p.endswith('.html') else parse_text(p)

        def err(msg):
            errors.append(f'{e["path"]}: {msg}')
        if info['title'] != e['title']:
            err(f'title {info["title"]!r} != {e["title"]!r}')
        if info['url'] != e['url']:
            err(f'url {info["url"]!r} != {e["url"]!r}')
        if info['author'] != e['author']:
            err(f'author {info["author"]!r} != {e["author"]!r}')
        paras = [t for k, t in info['blocks'] if k == 'p']
        body = ' '.join(t for _, t in info['blocks'])
        if not paras[0].startswith(e['first_paragraph_starts']) or len(e['first_paragraph_starts']) != min(40, len(paras[0])):
            err(f'first paragraph starts {paras[0][:40]!r}')
        words = len(body.split())
        if not 250 <= words <= 600:
            err(f'body has {words} words')
        if not 4 <= len(paras) <= 9:
            err(f'body has {len(paras)} paragraphs')
        # dates
        wk = WEEKDAY_RE.search(body)
        if e['date'] is None:
            if info['date'] is not None:
                err('expected undated but found a date')
            if YEAR_RE.search(body + ' ' + info['header_text']) or MONTH_DAY_RE.search(body + ' ' + info['header_text']):
                err('undated article mentions a year or month-day in header/body')
            if p.endswith('.html') and (info['has_time_el'] or 'published_time' in info['head_raw'] or 'datePublished' in info['raw']):
                err('undated article carries machine-readable date')
            if p.endswith('.txt') and YEAR_RE.search(info['raw']):
                err('undated text dump contains a year')
        elif info['date'] is None:
            # weekday-only text dumps: the date must be reconstructible from "on Tuesday January 16"
            if not (p.endswith('.txt') and wk):
                err('no date found')
            else:
                d = dt.date.fromisoformat(e['date'])
                if d.strftime('%A') != wk.group(1) or d.strftime('%B') != wk.group(2) or d.day != int(wk.group(3)):
                    err(f'weekday reference {wk.group(0)!r} does not match {e["date"]}')
                # The year comes from an earlier year the text mentions (no full date).
                years = sorted({int(y) for y in re.findall(r'\b(?:19|20)\d\d\b', info['raw'])})
                if not years or years[-1] >= d.year:
                    err('weekday-only dump must mention an earlier year to anchor the weekday')
                cats['weekday_only'].append(e['path'])
        elif info['date'] != e['date']:
            err(f'date {info["date"]} != {e["date"]}')
        if e['date'] is None:
            cats['undated_' + ('html' if p.endswith('.html') else 'text')].append(e['path'])
        # sanctuary categories
        bt = tokens(info['title'] + ' . ' + body)
        at = tokens(re.sub(r'<[^>]+>', ' ', info['raw'])) + tokens(info['raw'])
        in_body = has_pair(bt, 'sanctuary', 'city')
        anywhere = has_pair(at, 'sanctuary', 'city')
        if in_body:
            got = 'body'
        elif anywhere:
            got = 'boilerplate'
        elif has_pair(bt, 'sanctuary', 'cities'):
            got = 'plural'
        elif 'sanctuary' in bt and 'city' in bt:
            got = 'apart'
        else:
            got = None
        if got is None and 'sanctuary' in info['raw'].lower():
            err('stray "sanctuary" in an article outside every category')
        if got == 'plural' and 'sanctuary' in ' '.join(at).replace('sanctuary cities', ''):
            err('plural article uses "sanctuary" elsewhere')
        if got != e['sanctuary_city']:
            err(f'sanctuary_city {got!r} != {e["sanctuary_city"]!r}')
        if got:
            cats[got].append(e['path'])
        for ph in ('rent stabilization', 'participatory budgeting'):
            if ph in body.lower():
                phrases[ph].append(e['path'])
        if re.search(r'[À-ÿ]', body):
            phrases['accented'].append(e['path'])
    # planted counts
    want = {'body': 8, 'boilerplate': 4, 'apart': 2, 'plural': 1, 'undated_html': 3, 'undated_text': 2, 'weekday_only': 2}
    for k, n in want.items():
        if len(cats[k]) != n:
            errors.append(f'{k}: expected {n}, found {len(cats[k])}')
    body_dates = sorted(e['date'] for e in expected if e['sanctuary_city'] == 'body')
    if not (body_dates[0] >= '2016' and body_dates[-1] < '2020'):
        errors.append('sanctuary body articles must be dated 2016-2019')
    if sum('2017-08-01' <= d <= '2018-02-28' for d in body_dates) < 4:
        errors.append('fewer than 4 sanctuary body articles in 2017-08..2018-02')
    if sum(p.startswith('text/') for p in cats['body']) < 2:
        errors.append('fewer than 2 sanctuary body articles are text dumps')
    for ph in ('rent stabilization', 'participatory budgeting', 'accented'):
        if not phrases[ph]:
            errors.append(f'no article body contains {ph}')
    for k in sorted(cats):
        print(f'{k} ({len(cats[k])}):')
        for p in cats[k]:
            print('   ', p)
    for k in sorted(phrases):
        print(f'{k} ({len(phrases[k])}):')
        for p in phrases[k]:
            print('   ', p)
    print(f'{len(expected)} articles checked')
    if errors:
        print('\nERRORS:')
        for m in errors:
            print('  ', m)
        sys.exit(1)
    print('OK')


if __name__ == '__main__':
    main()
