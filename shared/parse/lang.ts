// Which edition a file belongs to, read from its content first (headings, Context lines, link paths), then hints.
import type { Lang } from '../domain/event';

const ZH_HEADING =
  /^(?:信息来源|信息來源|消息来源|來源|来源|有关|有關|相关|相關|相关新闻)\s*[:：]?$|^\[\s*(?:前一天|前一日)/;
const EN_HEADING = /^(?:sources?|related(?: events?| news)?|changes)\s*:?$|^\[\s*previous day/i;
const ZH_CONTEXT = /^[_*]\s*消息\s*[:：]/;
const EN_CONTEXT = /^[_*]\s*context\s*:/i;
const ZH_LINK = /\(\s*\/zh\/news\//;
const HAN = /\p{Script=Han}/u;

/** Counts edition markers; the caller feeds heading texts and body lines. */
export class LangEvidence {
  private zh = 0;
  private en = 0;

  heading(text: string): void {
    if (ZH_HEADING.test(text)) this.zh += 1;
    else if (EN_HEADING.test(text)) this.en += 1;
    this.line(text);
  }

  line(text: string): void {
    if (ZH_CONTEXT.test(text)) this.zh += 1;
    else if (EN_CONTEXT.test(text)) this.en += 1;
    if (ZH_LINK.test(text)) this.zh += 1;
  }

  /** The edition the markers point to, or undefined when there are none (or as many of each). */
  verdict(): Lang | undefined {
    if (this.zh > this.en) return 'zh';
    if (this.en > this.zh) return 'en';
    return undefined;
  }
}

/**
 * True when the text holds any Han character. The English generator wrote ASCII-only headlines (it even dropped
 * accents), while zh headlines mix Han with Latin names (`Windows Mobile 7上市`), so any Han is the better signal.
 */
export function looksChinese(text: string): boolean {
  return HAN.test(text);
}

/** Key prefix `zh/` (or `/zh/`): the upload convention for the Chinese edition. */
export function keyIsZh(key: string): boolean {
  return /^\/?zh\//.test(key);
}

/**
 * Markers in the content decide; with none (a zh file with no Sources or Related has none), the key prefix, then
 * the script of the title. Never a blind default: an `en` answer means no zh marker, zh key or Han title was found.
 */
export function decideLang(evidence: LangEvidence, key: string, title: string): Lang {
  return evidence.verdict() ?? (keyIsZh(key) || looksChinese(title) ? 'zh' : 'en');
}
