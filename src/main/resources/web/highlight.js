/*
 * A small syntax highlighter for the console's diffs: no build step, no dependency, no markup.
 *
 * It splits one line of code into [kind, text] tokens (comment, string, keyword, number, key, tag,
 * or '' for plain text); the page turns them into <span class="tok-…"> with textContent, so code is
 * never parsed as HTML. A line is highlighted on its own, carrying only whether it ends inside a
 * block comment or a multi-line string, which is enough for diffs (each hunk starts afresh).
 */
(() => {
  'use strict';

  const words = (s) => new Set(s.split(/\s+/).filter(Boolean));

  const C_LIKE = { line: ['//'], block: [['/*', '*/']], quotes: ['"', "'"] };
  const HASH = { line: ['#'], block: [], quotes: ['"', "'"] };

  /** Each language: comments, quotes, keywords, and whether `name:` at a line's start is a key. */
  const LANGS = {
    java: Object.assign({}, C_LIKE, {
      triple: ['"""'],
      keywords: words(`abstract assert boolean break byte case catch char class const continue default do double else enum
        extends final finally float for goto if implements import instanceof int interface long native new package private
        protected public return short static strictfp super switch synchronized this throw throws transient try void volatile
        while record sealed permits non-sealed var yield true false null`),
    }),
    kotlin: Object.assign({}, C_LIKE, {
      triple: ['"""'],
      keywords: words(`as break class continue do else false for fun if in interface is null object package return super this
        throw true try typealias val var when while by catch constructor init data sealed enum companion override open
        private protected public internal abstract final lateinit suspend import`),
    }),
    js: Object.assign({}, C_LIKE, {
      quotes: ['"', "'", '`'],
      keywords: words(`async await break case catch class const continue debugger default delete do else export extends false
        finally for from function if import in instanceof let new null of return static super switch this throw true try
        typeof undefined var void while with yield interface type enum implements private protected public readonly as`),
    }),
    c: Object.assign({}, C_LIKE, {
      keywords: words(`auto bool break case char class const constexpr continue default delete do double else enum extern false
        float for goto if inline int long namespace new nullptr private protected public return short signed sizeof static
        struct switch template this throw true try typedef typename union unsigned using virtual void volatile while
        include define ifdef ifndef endif`),
    }),
    cs: Object.assign({}, C_LIKE, {
      keywords: words(`abstract as async await base bool break byte case catch char class const continue decimal default
        delegate do double else enum event false finally float for foreach if in int interface internal is long namespace
        new null object out override params private protected public readonly record ref return sealed short static string
        struct switch this throw true try typeof uint ulong using var virtual void while`),
    }),
    go: Object.assign({}, C_LIKE, {
      quotes: ['"', "'", '`'],
      keywords: words(`break case chan const continue default defer else fallthrough for func go goto if import interface map
        package range return select struct switch type var true false nil`),
    }),
    rust: Object.assign({}, C_LIKE, {
      quotes: ['"'],
      keywords: words(`as async await break const continue crate else enum extern false fn for if impl in let loop match mod move
        mut pub ref return self Self static struct super trait true type unsafe use where while dyn`),
    }),
    swift: Object.assign({}, C_LIKE, {
      quotes: ['"'],
      keywords: words(`class deinit enum extension func import init let protocol struct subscript typealias var break case
        continue default do else fallthrough for guard if in repeat return switch where while as catch false is nil self
        super throw throws true try public private internal fileprivate open static`),
    }),
    php: Object.assign({}, C_LIKE, {
      line: ['//', '#'],
      keywords: words(`abstract and array as break case catch class clone const continue declare default do echo else elseif
        empty enddeclare endfor endforeach endif endswitch endwhile extends final finally fn for foreach function global if
        implements include instanceof interface isset list match namespace new or print private protected public require
        return static switch throw trait try unset use var while yield true false null`),
    }),
    python: Object.assign({}, HASH, {
      triple: ['"""', "'''"],
      keywords: words(`False None True and as assert async await break class continue def del elif else except finally for
        from global if import in is lambda nonlocal not or pass raise return try while with yield self match case`),
    }),
    ruby: Object.assign({}, HASH, {
      keywords: words(`BEGIN END alias and begin break case class def defined? do else elsif end ensure false for if in module
        next nil not or redo rescue retry return self super then true undef unless until when while yield require attr_reader`),
    }),
    shell: Object.assign({}, HASH, {
      keywords: words(`if then else elif fi for while until do done case esac in function return local export readonly set unset
        shift exit echo printf cd source trap eval exec test`),
    }),
    yaml: Object.assign({}, HASH, { keys: true, keywords: words('true false null yes no on off ~') }),
    toml: Object.assign({}, HASH, { keys: true, keywords: words('true false') }),
    json: { line: [], block: [], quotes: ['"'], keywords: words('true false null'), jsonKeys: true },
    sql: {
      line: ['--'], block: [['/*', '*/']], quotes: ["'", '"'], caseless: true,
      keywords: words(`select from where and or not insert into values update set delete create table alter drop index primary
        key foreign references join left right inner outer on as group by order having limit offset union all distinct case
        when then else end null is in exists like between default unique constraint view begin commit rollback`),
    },
    css: { line: [], block: [['/*', '*/']], quotes: ['"', "'"], keywords: words('important'), keys: true },
    xml: { line: [], block: [['<!--', '-->']], quotes: ['"', "'"], keywords: new Set(), tags: true },
    markdown: { line: [], block: [], quotes: ['`'], keywords: new Set(), headings: true },
    dockerfile: Object.assign({}, HASH, {
      caseless: true,
      keywords: words('from run cmd label expose env add copy entrypoint volume user workdir arg onbuild stopsignal healthcheck shell as'),
    }),
  };
  LANGS.ini = LANGS.toml;
  LANGS.properties = Object.assign({}, HASH, { line: ['#', '!'], keys: true, keywords: new Set() });

  const BY_EXTENSION = {
    java: 'java', groovy: 'java', gradle: 'java', scala: 'java', kt: 'kotlin', kts: 'kotlin',
    js: 'js', mjs: 'js', cjs: 'js', jsx: 'js', ts: 'js', tsx: 'js', dart: 'js',
    c: 'c', h: 'c', cc: 'c', cpp: 'c', cxx: 'c', hpp: 'c', hh: 'c', m: 'c', cs: 'cs', go: 'go', rs: 'rust', swift: 'swift',
    php: 'php', py: 'python', pyi: 'python', rb: 'ruby', sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell',
    yml: 'yaml', yaml: 'yaml', toml: 'toml', ini: 'ini', cfg: 'ini', conf: 'ini', properties: 'properties',
    json: 'json', jsonc: 'json', sql: 'sql', css: 'css', scss: 'css', less: 'css',
    xml: 'xml', html: 'xml', htm: 'xml', xhtml: 'xml', svg: 'xml', xsd: 'xml', xsl: 'xml', vue: 'xml', md: 'markdown',
    markdown: 'markdown',
  };
  const BY_NAME = { dockerfile: 'dockerfile', makefile: 'shell', 'pom.xml': 'xml', jenkinsfile: 'java', gemfile: 'ruby', rakefile: 'ruby' };

  /** The language of a path, or null when this highlighter does not know it (the line stays plain). */
  function language(path) {
    const name = String(path || '').split('/').pop().toLowerCase();
    if (BY_NAME[name]) return BY_NAME[name];
    if (name.startsWith('dockerfile')) return 'dockerfile';
    const dot = name.lastIndexOf('.');
    return dot > 0 ? BY_EXTENSION[name.slice(dot + 1)] || null : null;
  }

  const NUMBER = /^(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)[lLfFdDuUnim]*(?![\w$])/;
  const WORD = /^[A-Za-z_$][\w$]*[?!]?/;

  /**
   * One line as tokens. {@code state} is what the previous line left open ({@code null}: nothing);
   * returns {tokens: [[kind, text], …], state}.
   */
  function line(text, lang, state) {
    const s = String(text);
    const def = lang && LANGS[lang];
    if (!def) return { tokens: [['', s]], state: null };
    const out = [];
    const push = (kind, t) => {
      if (!t) return;
      const last = out[out.length - 1];
      if (last && last[0] === kind) last[1] += t; else out.push([kind, t]);
    };
    let i = 0;
    let open = state;
    if (def.headings && /^\s{0,3}#{1,6}\s/.test(s)) return { tokens: [['keyword', s]], state: null };
    if (def.keys || def.jsonKeys) {
      const key = def.keys ? /^(\s*(?:-\s+)?)([\w.\-"'[\]@/ ]+?)(\s*[:=])/.exec(s) : null;
      if (key && !open && !s.trimStart().startsWith('#')) {
        push('', key[1]);
        push('key', key[2]);
        push('', key[3]);
        i = key[0].length;
      }
    }
    while (i < s.length) {
      if (open) { // inside a block comment or a multi-line string
        const end = s.indexOf(open.end, i);
        const stop = end < 0 ? s.length : end + open.end.length;
        push(open.kind, s.slice(i, stop));
        i = stop;
        if (end >= 0) open = null;
        continue;
      }
      const rest = s.slice(i);
      const block = def.block.find(([start]) => rest.startsWith(start));
      if (block) {
        push('comment', block[0]);
        i += block[0].length;
        open = { kind: 'comment', end: block[1] };
        continue;
      }
      const lineComment = def.line.find((start) => rest.startsWith(start)
        && (start !== '#' || lang === 'python' || lang === 'yaml' || i === 0 || /\s/.test(s[i - 1])));
      if (lineComment) {
        push('comment', rest);
        break;
      }
      const triple = (def.triple || []).find((q) => rest.startsWith(q));
      if (triple) {
        push('string', triple);
        i += triple.length;
        open = { kind: 'string', end: triple };
        continue;
      }
      const c = s[i];
      if (def.quotes.includes(c)) {
        let j = i + 1;
        while (j < s.length && s[j] !== c) j += s[j] === '\\' && lang !== 'markdown' ? 2 : 1;
        const str = s.slice(i, Math.min(j + 1, s.length));
        const kind = def.jsonKeys && /^\s*:/.test(s.slice(j + 1)) ? 'key' : 'string';
        push(kind, str);
        i += str.length;
        continue;
      }
      if (def.tags && c === '<') {
        const tag = /^<\/?[\w:.-]+|^\/?>|^<[!?][\w-]*/.exec(rest);
        if (tag) {
          push('tag', tag[0]);
          i += tag[0].length;
          continue;
        }
      }
      if (def.tags && (c === '>' || rest.startsWith('/>'))) {
        push('tag', c === '>' ? '>' : '/>');
        i += c === '>' ? 1 : 2;
        continue;
      }
      const num = /[\d]/.test(c) && (i === 0 || !/[\w$]/.test(s[i - 1])) ? NUMBER.exec(rest) : null;
      if (num) {
        push('number', num[0]);
        i += num[0].length;
        continue;
      }
      const word = /[A-Za-z_$]/.test(c) ? WORD.exec(rest) : null;
      if (word) {
        const w = word[0];
        const isKeyword = def.keywords.has(def.caseless ? w.toLowerCase() : w);
        const isAttr = def.tags && /^\s*=/.test(s.slice(i + w.length));
        push(isKeyword ? 'keyword' : isAttr ? 'key' : '', w);
        i += w.length;
        continue;
      }
      push('', c);
      i += 1;
    }
    return { tokens: out.length ? out : [['', '']], state: open };
  }

  window.QuorumHighlight = Object.freeze({ language, line });
})();
