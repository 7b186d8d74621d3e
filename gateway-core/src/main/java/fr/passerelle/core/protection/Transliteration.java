package fr.passerelle.core.protection;

import java.util.HashMap;
import java.util.Map;

/**
 * Upper-case text of any script to the Latin letters A–Z and spaces, one deterministic scheme per script:
 * <ul>
 *   <li>Cyrillic (Russian, Ukrainian, Belarusian, Bulgarian, Serbian, Macedonian) in the passport style
 *       (ICAO 9303 as France's partners print it): Ж→ZH, Х→KH, Ц→TS, Щ→SHCH, Ю→IU, Я→IA, Ь and Ъ dropped;
 *       Г is always G, even in Ukrainian names, where passports print H (the consonant skeleton absorbs it);</li>
 *   <li>Greek after ELOT 743: Θ→TH, Χ→CH, Ψ→PS, Η→I, with the digraphs ΟΥ→OU, ΑΥ/ΕΥ/ΗΥ→AV/EV/IV (AF/EF/IF
 *       before a voiceless consonant or at the end of a word), ΓΓ→NG, ΓΞ→NX, ΓΧ→NCH and ΜΠ→B at the start of
 *       a word;</li>
 *   <li>Arabic script (with the Persian and Maghrebi letters) consonant by consonant: ث→TH, خ→KH, ذ→DH,
 *       ش→SH, غ→GH, ع and the lone hamza dropped, و→W, ي→Y, ا/ى/ة→A; short vowels are not written and stay
 *       absent;</li>
 *   <li>the Latin letters that Unicode does not decompose: Æ→AE, Œ→OE, Ø→O, Ł→L, Đ/Ð→D, Þ→TH, ẞ→SS.</li>
 * </ul>
 * The input must already be decomposed (NFKD), stripped of combining marks and upper-cased, so that one
 * table per letter suffices: the callers do that in {@link IdentityKeys#normalise(String)}. Every other
 * character (digits, punctuation, emoji, scripts without a scheme here) becomes a space.
 */
final class Transliteration {
    private static final Map<Integer, String> LETTERS = letters();
    /** Greek consonants before which ΑΥ, ΕΥ and ΗΥ are read AF, EF and IF. */
    private static final String GREEK_VOICELESS = "ΘΚΞΠΣΤΦΧΨ";

    private Transliteration() {}

    /** @return {@code upper} in the letters A–Z and spaces only; never null */
    static String toLatin(String upper) {
        StringBuilder latin = new StringBuilder(upper.length() + 8);
        int[] chars = upper.codePoints().toArray();
        int i = 0;
        while (i < chars.length) {
            int c = chars[i];
            int next = i + 1 < chars.length ? chars[i + 1] : -1;
            int afterNext = i + 2 < chars.length ? chars[i + 2] : -1;
            if (c >= 'A' && c <= 'Z') {
                latin.append((char) c);
            } else if ((c == 'Α' || c == 'Ε' || c == 'Η') && next == 'Υ') {
                latin.append(LETTERS.get(c));
                latin.append(GREEK_VOICELESS.indexOf(afterNext) >= 0 || !Character.isLetter(afterNext) ? 'F' : 'V');
                i++;
            } else if (c == 'Ο' && next == 'Υ') {
                latin.append("OU");
                i++;
            } else if (c == 'Γ' && (next == 'Γ' || next == 'Ξ' || next == 'Χ')) {
                latin.append('N').append(LETTERS.get(next));
                i++;
            } else if (c == 'Μ' && next == 'Π' && (i == 0 || !Character.isLetter(chars[i - 1]))) {
                latin.append('B');
                i++;
            } else {
                latin.append(LETTERS.getOrDefault(c, " "));
            }
            i++;
        }
        return latin.toString();
    }

    private static Map<Integer, String> letters() {
        Map<Integer, String> map = new HashMap<>();
        // Latin letters that NFKD leaves whole
        put(
                map, "Æ", "AE", "Œ", "OE", "Ø", "O", "Ł", "L", "Đ", "D", "Ð", "D", "Þ", "TH", "ẞ", "SS", "ß", "SS", "ı",
                "I", "Ŋ", "NG", "Ħ", "H", "Ŧ", "T", "Ə", "E", "ĸ", "K");
        // Cyrillic: Russian, then Ukrainian and Belarusian, then Serbian and Macedonian
        put(
                map, "А", "A", "Б", "B", "В", "V", "Г", "G", "Д", "D", "Е", "E", "Ё", "E", "Ж", "ZH", "З", "Z", "И",
                "I", "Й", "I", "К", "K", "Л", "L", "М", "M", "Н", "N", "О", "O", "П", "P", "Р", "R", "С", "S", "Т", "T",
                "У", "U", "Ф", "F", "Х", "KH", "Ц", "TS", "Ч", "CH", "Ш", "SH", "Щ", "SHCH", "Ъ", "", "Ы", "Y", "Ь", "",
                "Э", "E", "Ю", "IU", "Я", "IA");
        put(map, "Є", "IE", "І", "I", "Ї", "I", "Ґ", "G", "Ў", "U");
        put(
                map, "Ђ", "DJ", "Ј", "J", "Љ", "LJ", "Њ", "NJ", "Ћ", "C", "Џ", "DZ", "Ѓ", "G", "Ќ", "K", "Ѕ", "DZ", "Ѐ",
                "E", "Ѝ", "I");
        // Greek, single letters (the digraphs are read in toLatin)
        put(
                map, "Α", "A", "Β", "V", "Γ", "G", "Δ", "D", "Ε", "E", "Ζ", "Z", "Η", "I", "Θ", "TH", "Ι", "I", "Κ",
                "K", "Λ", "L", "Μ", "M", "Ν", "N", "Ξ", "X", "Ο", "O", "Π", "P", "Ρ", "R", "Σ", "S", "ς", "S", "Τ", "T",
                "Υ", "Y", "Φ", "F", "Χ", "CH", "Ψ", "PS", "Ω", "O");
        // Arabic script; the hamza carriers arrive decomposed (أ is ا plus a mark) but are mapped all the same
        put(
                map, "ا", "A", "ب", "B", "ت", "T", "ث", "TH", "ج", "J", "ح", "H", "خ", "KH", "د", "D", "ذ", "DH", "ر",
                "R", "ز", "Z", "س", "S", "ش", "SH", "ص", "S", "ض", "D", "ط", "T", "ظ", "Z", "ع", "", "غ", "GH", "ف",
                "F", "ق", "Q", "ك", "K", "ل", "L", "م", "M", "ن", "N", "ه", "H", "و", "W", "ي", "Y", "ى", "A", "ة",
                "A");
        put(map, "ء", "", "أ", "A", "إ", "A", "آ", "A", "ٱ", "A", "ؤ", "W", "ئ", "Y", "ٴ", "", "ـ", "");
        put(
                map, "پ", "P", "چ", "CH", "ژ", "ZH", "گ", "G", "ک", "K", "ی", "Y", "ڤ", "V", "ڨ", "G", "ہ", "H", "ھ",
                "H", "ے", "Y", "ٹ", "T", "ڈ", "D", "ڑ", "R", "ں", "N");
        return Map.copyOf(map);
    }

    private static void put(Map<Integer, String> map, String... pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i].codePointAt(0), pairs[i + 1]);
        }
    }
}
