import { describe, expect, it } from 'vitest';
import { cleanText, idFromCanonicalKey, parseEventObject, slugifyTitle } from '../../shared/parse';
import { slugFromHeadline } from '../../shared/parse/slug';

describe('cleanText', () => {
  it.each([
    ['entities', 'Tom &amp; Jerry&#x20;say &quot;hi&quot; &#39;twice&#39;', 'Tom & Jerry say "hi" \'twice\''],
    ['double-encoded entities', 'Fish &amp;amp; chips', 'Fish & chips'],
    ['an ampersand that is not an entity', 'AT&T buys Q&A site', 'AT&T buys Q&A site'],
    ['italics and bold', "The ''Titanic'' and '''Olympic''' sail", 'The Titanic and Olympic sail'],
    ['italics glued to the next word', "''Alpha v. Beta''The court rules", 'Alpha v. Beta The court rules'],
    [
      'an external link with a label',
      'Talks fail. [http://news.example/a (Reuters)] More',
      'Talks fail. (Reuters) More',
    ],
    [
      'a zh external link with slashes as dashes',
      '会谈。[http:--news.example-a 新闻网]date=十一月 2017 ',
      '会谈。 新闻网',
    ],
    ['an external link without a label', 'Talks fail. [http://news.example/a]', 'Talks fail.'],
    ['a cut-off external link', 'Talks fail. [http://news.example/a-very-lo', 'Talks fail.'],
    ['convert', 'a peak of {{convert|28.3|ft|m}} today', 'a peak of 28.3 ft today'],
    ['convert with a range', 'between {{convert|5|-|7|km}} wide', 'between 5–7 km wide'],
    ['bare convert leftover', 'it flew 435|mi|km north', 'it flew 435 mi north'],
    ['nowrap', 'US {{Nowrap|$975.8 million}} gross', 'US $975.8 million gross'],
    ['a ship template', 'the {{USS|Monitor}} was raised', 'the USS Monitor was raised'],
    ['an unknown template', 'text{{citation needed|date=May 2019}} more', 'text more'],
    ['a cut-off template', 'cost {{Nowrap|$3.3 billion', 'cost $3.3 billion'],
    ['ref with content', 'a gold leaf.<ref name="a">last1=Doe|title=Dome</ref> Done', 'a gold leaf. Done'],
    ['a cut-off ref', 'a gold leaf.<ref name="a">last1=Doe|title=Do', 'a gold leaf.'],
    ['other HTML tags', 'M<sub>W</sub> 7.5 <b>quake</b><br/>now', 'MW 7.5 quake now'],
    ['citation parameters dumped as text', '第6級。 language = zh-hans | author = 某 | url = x', '第6級。'],
    ['conversion markup', '-{zh-tw:北韓; zh-hk:北韓; zh-cn:朝鲜;}-试射', '朝鲜试射'],
    ['conversion markup: zh-cn before zh-hans', '-{zh-hans:北朝鲜; zh-tw:北韓; zh-cn:朝鲜;}-', '朝鲜'],
    ['conversion markup without zh-cn', '-{zh-tw:北韓; zh-hans:朝鲜;}-', '朝鲜'],
    ['conversion markup with neither', '-{zh-tw:歐蘭德; zh-hk:奧朗德;}-', '歐蘭德'],
    ['literal conversion markup', '大國家黨前代表-{朴}-槿惠', '大國家黨前代表朴槿惠'],
    ['a timestamp tail', '英國舉行下議院大選。:43:02+00:00', '英國舉行下議院大選。'],
    [
      'wiki citation residue: url= and an archive link cut into pieces',
      '橫綱日馬富士宣布退役。 url=https:--tchina.kyodonews.net-news-2017-11-a1b2.html :--web.archive.org-web-20190110013807-https:--tchina.kyodonews.net-news-2017-11-a1b2.html',
      '橫綱日馬富士宣布退役。',
    ],
    [
      'wiki citation residue followed by more text',
      'Wins. url = http://example.org/a :--web.archive.org-web-20190110013807-http:--example.org-a Then more',
      'Wins. Then more',
    ],
    [
      'an archive url= as the label of an external link',
      '客機遭擊落。 [http:--news.example-a.html (url=https:--web.archive.org-web-20140719232729-http:--news.example-a.html )] 有報道指。',
      '客機遭擊落。 有報道指。',
    ],
    [
      'wiki citation residue that goes on with more parameters',
      '宣布退役。 url=https:--a.example-x.html :--web.archive.org-web-20190110013807-https:--a.example-x.html |date=2019-01-10 ',
      '宣布退役。',
    ],
    ['an empty url= parameter', '客機遭擊落。 (url= ) 有報道指。', '客機遭擊落。 有報道指。'],
    [
      'a url= inside a link address, which is not residue',
      '開幕。[http:--news.example-url?sa=t&url=http%3A%2F%2Fa.example%2Fb 中央社]',
      '開幕。 中央社',
    ],
    ['whitespace', '  two\t\tspaces\u00a0and  more  ', 'two spaces and more'],
  ])('cleans %s', (_name, raw, expected) => {
    // Act
    const text = cleanText(raw);

    // Assess
    expect(text).toBe(expected);
  });
});

describe('idFromCanonicalKey', () => {
  it.each([
    ['news/2007/07/9/lal-masjid.md', { date: '2007-07-09', slug: 'lal-masjid' }],
    ['/news/2007/07/9/lal-masjid.md', { date: '2007-07-09', slug: 'lal-masjid' }],
    ['zh/news/2010/05/1/上海世博會开幕.md', { date: '2010-05-01', slug: '上海世博會开幕' }],
    ['/zh/news/2010/05/1/%E4%B8%8A%E6%B5%B7.md', { date: '2010-05-01', slug: '上海' }],
    ['https://thecontext.example/news/2016/12/19/alpha.md', { date: '2016-12-19', slug: 'alpha' }],
  ])('reads %s', (key, expected) => {
    // Act
    const ref = idFromCanonicalKey(key);

    // Assess
    expect(ref).toEqual(expected);
  });

  it.each([
    'news/2007/07/9/index.md',
    'news/2007/07/9/x.txt',
    'news/2007/02/30/x.md',
    'incoming/foo.txt',
    'x',
    'en/news/2007/07/9/x.md',
  ])('refuses %s', (key) => {
    // Act
    const ref = idFromCanonicalKey(key);

    // Assess
    expect(ref).toBeUndefined();
  });
});

describe('slugifyTitle', () => {
  it('slugs an English headline: lower-case ASCII, punctuation runs to one dash, underscores kept', () => {
    // Act
    const slug = slugifyTitle(" Islamabad's Red Mosque: talks end (south_asia). ", 'en');

    // Assess
    expect(slug).toBe('islamabad-s-red-mosque-talks-end-south_asia');
  });

  it('mangles non-ASCII like the generator: UTF-8 bytes read as Latin-1, then transliterated', () => {
    // Act
    const slugs = [
      'São Paulo',
      'António Guterres',
      'Würenlingen',
      '2010–2011 crisis',
      'Gerhard Schröder',
    ].map((title) => slugifyTitle(title, 'en'));

    // Assess
    expect(slugs).toEqual([
      'sapso-paulo',
      'anta3nio-guterres',
      'wa1-4renlingen',
      '2010a2011-crisis',
      'gerhard-schrapder',
    ]);
  });

  it('drops angle brackets but keeps the tag name, as in the corpus (`scandal:<p>Tony` → `scandal-ptony`)', () => {
    // Act
    const slug = slugifyTitle('News scandal:<p>Tony Blair speaks', 'en');

    // Assess
    expect(slug).toBe('news-scandal-ptony-blair-speaks');
  });

  it('cuts the raw English text at 140 characters, a leading space included, before slugging', () => {
    // Prepare
    const raw = ` ${'word '.repeat(40)}`;

    // Act
    const slug = slugifyTitle(raw, 'en');

    // Assess: 139 characters of words after the space: 27 full words and "word" cut to "word".
    expect(slug).toBe(Array.from({ length: 28 }, () => 'word').join('-'));
  });

  it('slugs a Chinese headline: Han and case kept, `.` and `,` dropped, other punctuation to dashes', () => {
    // Act
    const slug = slugifyTitle('苹果的iTunes商店开放，首周卖出1,000,000首歌曲（Apple Inc.）。', 'zh');

    // Assess
    expect(slug).toBe('苹果的iTunes商店开放-首周卖出1000000首歌曲-Apple-Inc');
  });

  it('cuts a Chinese headline at 60 characters', () => {
    // Prepare
    const raw = '汉'.repeat(70);

    // Act
    const slug = slugifyTitle(raw, 'zh');

    // Assess
    expect(slug).toBe('汉'.repeat(60));
  });
});

describe('slugFromHeadline: accents the title lost, restored from Context labels', () => {
  it('a title that folded accents (Sao) is slugged from the mangled original (sapso)', () => {
    expect(slugFromHeadline('Floods hit Sao Paulo, Brazil', 'en', ['Brazil', 'São Paulo'])).toBe(
      'floods-hit-sapso-paulo-brazil',
    );
  });

  it('a title that dropped accents (Chvez) is slugged with proper transliteration (chavez)', () => {
    expect(slugFromHeadline("Hugo Chvez's amendments fail", 'en', ['Hugo Chávez'])).toBe(
      'hugo-chavez-s-amendments-fail',
    );
  });

  it('leaves the title alone when no label explains it, and never trusts short remnants', () => {
    expect(slugFromHeadline('So it goes in Sao Tome', 'en', ['Tokyo'])).toBe('so-it-goes-in-sao-tome');
    expect(slugFromHeadline('So it begins', 'en', ['São Paulo'])).toBe('so-it-begins');
  });
});

describe('identity declared by the Formats line', () => {
  it('gives a file under a non-canonical key the id its Formats line names', () => {
    // Prepare
    const text = [
      'Formats: [HTML](/news/2014/07/8/the-canonical-slug.html)  [JSON](/news/2014/07/8/the-canonical-slug.json)  ',
      '',
      '### [2014-07-8](/news/2014/07/8/index.md)',
      '',
      '#  A headline whose slug would differ – with an en dash ',
    ].join('\n');

    // Act
    const result = parseEventObject('inbox/upload.md', text);

    // Assess
    expect(result.kind === 'event' && result.event.id).toBe('2014-07-08/the-canonical-slug');
  });
});
