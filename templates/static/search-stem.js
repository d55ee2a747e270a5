// Dutch Snowball stemmer ("dutch", the 2024 Kraaij-Pohlmann based algorithm of
// Snowball 3), ported to JavaScript by hand from the algorithm that the Python
// snowballstemmer package implements. sitegen's build stems with that package and
// the browser with this file; tests/test_search_agreement.py checks both give the
// same stems. Defines the global function sitegenDutchStem(word).
"use strict";

// `var`, not `const`: a global property is visible to search.js in every host.
var sitegenDutchStem = (() => {
  const group = (letters) => new Set(letters);
  const VOWEL = group("aeiouyàáâäèéêëìíîïòóôöùúûü");
  const VOWEL_WX = group("aeiouwxyàáâäèéêëìíîïòóôöùúûü");
  const AIOU = group("aiouàáâäìíîïòóôöùúûü");
  const AEIOU = group("aeiouàáâäèéêëìíîïòóôöùúûü");
  const E = group("eèéêë");

  // Suffix and prefix tables: [text, result]. An "among" picks the longest entry that
  // matches at the cursor, as in Snowball.
  const LENGTHEN = [["a", 1], ["e", 2], ["o", 1], ["u", 1], ["à", 1], ["á", 1], ["â", 1],
    ["ä", 1], ["è", 2], ["é", 2], ["ê", 2], ["eë", 3], ["ië", 4], ["ò", 1], ["ó", 1],
    ["ô", 1], ["ö", 1], ["ù", 1], ["ú", 1], ["û", 1], ["ü", 1]];
  const STEP1 = [["nde", 8], ["en", 7], ["s", 2], ["'s", 1], ["es", 4], ["ies", 3],
    ["aus", 6], ["és", 5]];
  const STEP2 = [["de", 5], ["ge", 2], ["ische", 4], ["je", 1], ["lijke", 3], ["le", 9],
    ["ene", 10], ["re", 8], ["se", 7], ["te", 6], ["ieve", 11]];
  const STEP3 = [["heid", 3], ["fie", 7], ["gie", 8], ["atie", 1], ["isme", 5], ["ing", 5],
    ["arij", 6], ["erij", 5], ["sel", 3], ["rder", 4], ["ster", 3], ["iteit", 2],
    ["dst", 10], ["tst", 9]];
  const STEP4 = [["end", 9], ["atief", 2], ["erig", 9], ["achtig", 3], ["ioneel", 1],
    ["baar", 3], ["laar", 5], ["naar", 4], ["raar", 6], ["eriger", 9], ["achtiger", 3],
    ["lijker", 8], ["tant", 7], ["erigst", 9], ["achtigst", 3], ["lijkst", 8]];
  const STEP4_IG = [["ig", 1], ["iger", 1], ["igst", 1]];
  const STEP7 = [["ft", 2], ["kt", 1], ["pt", 3]];
  const STEP7_TO = ["k", "f", "p"];
  const STEP6 = [["bb", 1], ["cc", 2], ["dd", 3], ["ff", 4], ["gg", 5], ["hh", 6],
    ["jj", 7], ["kk", 8], ["ll", 9], ["mm", 10], ["nn", 11], ["pp", 12], ["qq", 13],
    ["rr", 14], ["ss", 15], ["tt", 16], ["v", 4], ["vv", 17], ["ww", 18], ["xx", 19],
    ["z", 15], ["zz", 20]];
  const STEP6_TO = "bcdfghjklmnpqrstvwxz";
  const STEP1C = [["d", 1], ["t", 2]];
  const GE_EXCEPTIONS = [["", -1], ["eft", 1], ["vaa", 1], ["val", 1], ["vali", -1], ["vare", 1]];
  const DIAERESIS = [["ë", 1], ["ï", 2]];
  const DIAERESIS_TO = ["e", "i"];

  // Snowball machine state: the word, a cursor, the region [lb, limit) and a slice [bra, ket).
  let s = "";
  let cursor = 0;
  let limit = 0;
  let lb = 0;
  let bra = 0;
  let ket = 0;
  let p1 = 0;
  let p2 = 0;
  let geRemoved = false;

  const inF = (g) => {
    if (cursor >= limit || !g.has(s[cursor])) return false;
    cursor++;
    return true;
  };
  const outF = (g) => {
    if (cursor >= limit || g.has(s[cursor])) return false;
    cursor++;
    return true;
  };
  const inB = (g) => {
    if (cursor <= lb || !g.has(s[cursor - 1])) return false;
    cursor--;
    return true;
  };
  const outB = (g) => {
    if (cursor <= lb || g.has(s[cursor - 1])) return false;
    cursor--;
    return true;
  };
  const eqF = (t) => {
    if (limit - cursor < t.length || s.substring(cursor, cursor + t.length) !== t) return false;
    cursor += t.length;
    return true;
  };
  const eqB = (t) => {
    if (cursor - lb < t.length || s.substring(cursor - t.length, cursor) !== t) return false;
    cursor -= t.length;
    return true;
  };
  const amongF = (table) => {
    let best = null;
    for (const entry of table) {
      const t = entry[0];
      if ((best === null || t.length > best[0].length) && limit - cursor >= t.length
          && s.substring(cursor, cursor + t.length) === t) best = entry;
    }
    if (best === null) return 0;
    cursor += best[0].length;
    return best[1];
  };
  const amongB = (table) => {
    let best = null;
    for (const entry of table) {
      const t = entry[0];
      if ((best === null || t.length > best[0].length) && cursor - lb >= t.length
          && s.substring(cursor - t.length, cursor) === t) best = entry;
    }
    if (best === null) return 0;
    cursor -= best[0].length;
    return best[1];
  };
  const replace = (from, to, t) => {
    const adjustment = t.length - (to - from);
    s = s.substring(0, from) + t + s.substring(to);
    limit += adjustment;
    if (cursor >= to) cursor += adjustment;
    else if (cursor > from) cursor = from;
    return adjustment;
  };
  const sliceFrom = (t) => {
    replace(bra, ket, t);
    ket = bra + t.length;
  };
  const sliceDel = () => sliceFrom("");
  const insert = (from, to, t) => {
    const adjustment = replace(from, to, t);
    if (from <= bra) bra += adjustment;
    if (from <= ket) ket += adjustment;
  };

  const R1 = () => p1 <= cursor;
  const R2 = () => p2 <= cursor;
  const isV = () => {
    const keep = limit - cursor;
    if (!inB(VOWEL) && !eqB("ij")) return false;
    cursor = limit - keep;
    return true;
  };
  const isVX = () => {
    const keep = limit - cursor;
    if (cursor <= lb) return false;
    cursor--;
    if (!inB(VOWEL) && !eqB("ij")) return false;
    cursor = limit - keep;
    return true;
  };
  const isC = () => {
    const keep = limit - cursor;
    if (eqB("ij")) return false;
    if (!outB(VOWEL)) return false;
    cursor = limit - keep;
    return true;
  };
  const doubleSlice = () => {
    const text = s.substring(bra, ket);
    const at = cursor;
    insert(cursor, cursor, text);
    cursor = at;
  };

  const lengthenV = () => {
    const keep = limit - cursor;
    done: {
      if (!outB(VOWEL_WX)) break done;
      ket = cursor;
      const found = amongB(LENGTHEN);
      if (found === 0) break done;
      bra = cursor;
      if (found === 1) {
        const mark = limit - cursor;
        if (!outB(AEIOU) && cursor > lb) break done;
        cursor = limit - mark;
        doubleSlice();
      } else if (found === 2) {
        const mark = limit - cursor;
        if (!outB(AEIOU) && cursor > lb) break done;
        const mark2 = limit - cursor;
        notLongVowel: {
          if (!inB(AIOU)) {
            if (!inB(E)) break notLongVowel;
            if (cursor > lb) break notLongVowel;
          }
          break done;
        }
        cursor = limit - mark2;
        const mark3 = limit - cursor;
        notDiphthong: {
          if (cursor <= lb) break notDiphthong;
          cursor--;
          if (!inB(AIOU)) break notDiphthong;
          if (!outB(AEIOU)) break notDiphthong;
          break done;
        }
        cursor = limit - mark3;
        cursor = limit - mark;
        doubleSlice();
      } else if (found === 3) {
        sliceFrom("eëe");
      } else {
        sliceFrom("iee");
      }
    }
    cursor = limit - keep;
    return true;
  };

  const step1 = () => {
    ket = cursor;
    const found = amongB(STEP1);
    if (found === 0) return false;
    bra = cursor;
    switch (found) {
      case 1:
        sliceDel();
        break;
      case 2: {
        if (!R1()) return false;
        const mark = limit - cursor;
        if (eqB("t") && R1()) return false;
        cursor = limit - mark;
        if (!isC()) return false;
        sliceDel();
        break;
      }
      case 3:
        if (!R1()) return false;
        sliceFrom("ie");
        break;
      case 4: {
        const mark = limit - cursor;
        alternatives: {
          attempt: {
            const at = limit - cursor;
            if (!eqB("ar") || !R1() || !isC()) break attempt;
            cursor = limit - at;
            sliceDel();
            lengthenV();
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            const at = limit - cursor;
            if (!eqB("er") || !R1() || !isC()) break attempt;
            cursor = limit - at;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          if (!R1() || !isC()) return false;
          sliceFrom("e");
        }
        break;
      }
      case 5:
        if (!R1()) return false;
        sliceFrom("é");
        break;
      case 6:
        if (!R1() || !isV()) return false;
        sliceFrom("au");
        break;
      case 7: {
        const mark = limit - cursor;
        alternatives: {
          attempt: {
            if (!eqB("hed") || !R1()) break attempt;
            bra = cursor;
            sliceFrom("heid");
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("nd")) break attempt;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("d") || !R1() || !isC()) break attempt;
            bra = cursor;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("i") && !eqB("j")) break attempt;
            if (!isV()) break attempt;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          if (!R1() || !isC()) return false;
          sliceDel();
          lengthenV();
        }
        break;
      }
      default:
        sliceFrom("nd");
    }
    return true;
  };

  const step2 = () => {
    ket = cursor;
    const found = amongB(STEP2);
    if (found === 0) return false;
    bra = cursor;
    switch (found) {
      case 1: {
        const mark = limit - cursor;
        alternatives: {
          attempt: {
            if (!eqB("'t")) break attempt;
            bra = cursor;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("et")) break attempt;
            bra = cursor;
            if (!R1() || !isC()) break attempt;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("rnt")) break attempt;
            bra = cursor;
            sliceFrom("rn");
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("t")) break attempt;
            bra = cursor;
            if (!R1() || !isVX()) break attempt;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("ink")) break attempt;
            bra = cursor;
            sliceFrom("ing");
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("mp")) break attempt;
            bra = cursor;
            sliceFrom("m");
            break alternatives;
          }
          cursor = limit - mark;
          attempt: {
            if (!eqB("'")) break attempt;
            bra = cursor;
            if (!R1()) break attempt;
            sliceDel();
            break alternatives;
          }
          cursor = limit - mark;
          bra = cursor;
          if (!R1() || !isC()) return false;
          sliceDel();
        }
        break;
      }
      case 2:
        if (!R1()) return false;
        sliceFrom("g");
        break;
      case 3:
        if (!R1()) return false;
        sliceFrom("lijk");
        break;
      case 4:
        if (!R1()) return false;
        sliceFrom("isch");
        break;
      case 5:
        if (!R1() || !isC()) return false;
        sliceDel();
        break;
      case 6:
        if (!R1()) return false;
        sliceFrom("t");
        break;
      case 7:
        if (!R1()) return false;
        sliceFrom("s");
        break;
      case 8:
        if (!R1()) return false;
        sliceFrom("r");
        break;
      case 9:
        if (!R1()) return false;
        sliceDel();
        insert(cursor, cursor, "l");
        lengthenV();
        break;
      case 10:
        if (!R1() || !isC()) return false;
        sliceDel();
        insert(cursor, cursor, "en");
        lengthenV();
        break;
      default:
        if (!R1() || !isC()) return false;
        sliceFrom("ief");
    }
    return true;
  };

  const step3 = () => {
    ket = cursor;
    const found = amongB(STEP3);
    if (found === 0) return false;
    bra = cursor;
    switch (found) {
      case 1:
        if (!R1()) return false;
        sliceFrom("eer");
        break;
      case 2:
        if (!R1()) return false;
        sliceDel();
        lengthenV();
        break;
      case 3:
        if (!R1()) return false;
        sliceDel();
        break;
      case 4:
        sliceFrom("r");
        break;
      case 5: {
        const mark = limit - cursor;
        if (eqB("ild")) {
          sliceFrom("er");
          break;
        }
        cursor = limit - mark;
        if (!R1()) return false;
        sliceDel();
        lengthenV();
        break;
      }
      case 6:
        if (!R1() || !isC()) return false;
        sliceFrom("aar");
        break;
      case 7:
        if (!R2()) return false;
        sliceDel();
        insert(cursor, cursor, "f");
        lengthenV();
        break;
      case 8:
        if (!R2()) return false;
        sliceDel();
        insert(cursor, cursor, "g");
        lengthenV();
        break;
      case 9:
        if (!R1() || !isC()) return false;
        sliceFrom("t");
        break;
      default:
        if (!R1() || !isC()) return false;
        sliceFrom("d");
    }
    return true;
  };

  const step4 = () => {
    const mark = limit - cursor;
    attempt: {
      ket = cursor;
      const found = amongB(STEP4);
      if (found === 0) break attempt;
      bra = cursor;
      switch (found) {
        case 1:
          if (!R1()) break attempt;
          sliceFrom("ie");
          break;
        case 2:
          if (!R1()) break attempt;
          sliceFrom("eer");
          break;
        case 3:
          if (!R1()) break attempt;
          sliceDel();
          break;
        case 4:
          if (!R1() || !isV()) break attempt;
          sliceFrom("n");
          break;
        case 5:
          if (!R1() || !isV()) break attempt;
          sliceFrom("l");
          break;
        case 6:
          if (!R1() || !isV()) break attempt;
          sliceFrom("r");
          break;
        case 7:
          if (!R1()) break attempt;
          sliceFrom("teer");
          break;
        case 8:
          if (!R1()) break attempt;
          sliceFrom("lijk");
          break;
        default:
          if (!R1() || !isC()) break attempt;
          sliceDel();
          lengthenV();
      }
      return true;
    }
    cursor = limit - mark;
    ket = cursor;
    if (amongB(STEP4_IG) === 0) return false;
    bra = cursor;
    if (!R1()) return false;
    const mark2 = limit - cursor;
    if (eqB("inn") && cursor <= lb) return false;
    cursor = limit - mark2;
    if (!isC()) return false;
    sliceDel();
    lengthenV();
    return true;
  };

  const step7 = () => {
    ket = cursor;
    const found = amongB(STEP7);
    if (found === 0) return false;
    bra = cursor;
    sliceFrom(STEP7_TO[found - 1]);
    return true;
  };

  const step6 = () => {
    ket = cursor;
    const found = amongB(STEP6);
    if (found === 0) return false;
    bra = cursor;
    if (found === 11) {
      const mark = limit - cursor;
      if (eqB("i") && cursor <= lb) return false;
      cursor = limit - mark;
    }
    sliceFrom(STEP6_TO[found - 1]);
    return true;
  };

  const step1c = () => {
    ket = cursor;
    const found = amongB(STEP1C);
    if (found === 0) return false;
    bra = cursor;
    if (!R1() || !isC()) return false;
    if (found === 1) {
      const mark = limit - cursor;
      if (eqB("n") && R1()) return false;
      cursor = limit - mark;
      const mark2 = limit - cursor;
      if (eqB("in") && cursor <= lb) {
        sliceFrom("n");
      } else {
        cursor = limit - mark2;
        sliceDel();
      }
    } else {
      const mark = limit - cursor;
      if (eqB("h") && R1()) return false;
      cursor = limit - mark;
      const mark2 = limit - cursor;
      if (eqB("en") && cursor <= lb) return false;
      cursor = limit - mark2;
      sliceDel();
    }
    return true;
  };

  // After "ge": at least three letters, and a vowel followed by a non-vowel later on.
  const geIsRemovable = () => {
    if (cursor + 3 > limit) return false;
    for (;;) {
      const at = cursor;
      if (eqF("ij") || inF(VOWEL)) break;
      cursor = at;
      if (cursor >= limit) return false;
      cursor++;
    }
    for (;;) {
      const at = cursor;
      if (eqF("ij") || inF(VOWEL)) continue;
      cursor = at;
      break;
    }
    return cursor < limit;
  };

  const removeGe = () => {
    geRemoved = true;
    sliceDel();
    const at = cursor;
    bra = cursor;
    const found = amongF(DIAERESIS);
    if (found !== 0) {
      ket = cursor;
      sliceFrom(DIAERESIS_TO[found - 1]);
    }
    cursor = at;
  };

  const losePrefix = () => {
    bra = cursor;
    if (!eqF("ge")) return false;
    ket = cursor;
    const afterGe = cursor;
    if (!geIsRemovable()) return false;
    cursor = afterGe;
    if (amongF(GE_EXCEPTIONS) === 1) return false;
    removeGe();
    return true;
  };

  const loseInfix = () => {
    if (cursor >= limit) return false;
    cursor++;
    for (;;) {
      bra = cursor;
      if (eqF("ge")) {
        ket = cursor;
        break;
      }
      if (cursor >= limit) return false;
      cursor++;
    }
    const afterGe = cursor;
    if (!geIsRemovable()) return false;
    cursor = afterGe;
    removeGe();
    return true;
  };

  const vowelThenConsonant = () => {
    while (outF(VOWEL)) { /* skip leading non-vowels */ }
    let vowels = 0;
    for (;;) {
      const at = cursor;
      if (eqF("ij") || inF(VOWEL)) {
        vowels++;
        continue;
      }
      cursor = at;
      break;
    }
    return vowels > 0 && outF(VOWEL);
  };

  const measure = () => {
    p1 = limit;
    p2 = limit;
    const start = cursor;
    if (vowelThenConsonant()) {
      p1 = cursor;
      if (vowelThenConsonant()) p2 = cursor;
    }
    cursor = start;
  };

  const backwardFromEnd = () => {
    lb = cursor;
    cursor = limit;
  };

  const stem = (word) => {
    s = word;
    cursor = 0;
    limit = s.length;
    lb = 0;
    bra = 0;
    ket = limit;
    let stemmed = false;
    measure();
    backwardFromEnd();
    for (const step of [step1, step2, step3, step4]) {
      const mark = limit - cursor;
      if (step()) stemmed = true;
      cursor = limit - mark;
    }
    for (const lose of [losePrefix, loseInfix]) {
      cursor = lb;
      geRemoved = false;
      const at = cursor;
      if (lose()) {
        cursor = at;
        measure();
      }
      cursor = at;
      backwardFromEnd();
      const mark = limit - cursor;
      if (geRemoved) {
        stemmed = true;
        step1c();
      }
      cursor = limit - mark;
    }
    cursor = lb;
    backwardFromEnd();
    const mark = limit - cursor;
    if (step7()) stemmed = true;
    cursor = limit - mark;
    if (stemmed) step6();
    return s;
  };

  return stem;
})();
