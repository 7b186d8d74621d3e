package fr.passerelle.core.protection;

import com.fasterxml.jackson.databind.JsonNode;
import java.text.Normalizer;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The identity keys of a person named in a referral: strings that two agencies' spellings of the same person
 * share, so that the protection register can recognise her while storing only HMAC tokens of the keys, never
 * her identity in clear. Recall comes first (a missed match can get a protected victim deported, a false match
 * only holds a removal order for a human review), within two limits: a shared family name alone never
 * matches, nor do the same names with birth years further apart than the estimated-age tolerance.
 *
 * <p>A key reads {@code V1|<kind>|<names>|Y<year>|<nationality>}, in the characters {@code [A-Z0-9|*-]} only:
 * <ul>
 *   <li>{@code V1|NAME|<family form>|<given form>|…} and its consonant skeleton {@code V1|SKEL|…|…|…};</li>
 *   <li>{@code V1|GIVEN|<given form>|…} and {@code V1|GSKEL|…|…} for a person recorded without a family name;
 *       these always carry a real birth year, a given name alone being too weak otherwise;</li>
 *   <li>{@code Y*} and a nationality {@code *} stand for "unknown".</li>
 * </ul>
 * A match is a key in {@link #probes} of one subject and {@link #recorded} of the other. {@code docs/IDENTITY-KEYS.md}
 * explains every form, what it matches and what it misses.
 *
 * <p>Stateless and thread-safe. Nothing here throws on odd input (a missing, empty or non-textual field is
 * absent; a subject with too little identity yields fewer keys, possibly none), logs, or puts a field value
 * in a message.
 */
public final class IdentityKeys {
    /** The most keys for one subject; keys are emitted strongest first, so a cut drops the weakest. */
    static final int MAX_KEYS = 400;
    /** Tokens read from each name field; the rest are ignored. */
    static final int MAX_TOKENS = 4;
    /** Characters read from each name field before normalisation. */
    static final int MAX_FIELD_CHARS = 200;
    /** Years allowed on each side of the birth year that an estimated age implies (submission year - age). */
    static final int AGE_TOLERANCE_YEARS = 2;

    static final String VERSION = "V1";
    static final String UNKNOWN = "*";
    /** The year of a recorded key that any probe without a birth year meets: {@code Y-}. */
    static final String ANY_YEAR = "-";

    /** Articles and prepositions that never stand alone as a part of a family name. */
    static final Set<String> PARTICLES = Set.of(
            "DE", "DA", "DAS", "DO", "DOS", "DEL", "DELA", "DELLA", "DELLE", "DELLO", "DEGLI", "DI", "DU", "DES", "LA",
            "LAS", "LE", "LES", "LO", "LOS", "VAN", "VON", "DER", "DEN", "TER", "TEN", "VANDER", "VANDEN", "BEN", "BIN",
            "BINT", "BENT", "IBN", "EL", "AL", "AIT", "OULD", "ABU", "ABOU", "SAINT", "SAINTE", "ST", "STE");

    private static final Pattern MARKS = Pattern.compile("[\\p{M}\\p{Cf}]+");
    private static final Pattern SPACES = Pattern.compile(" {2,}");
    private static final Pattern NATIONALITY = Pattern.compile("[A-Za-z]{2}");

    private IdentityKeys() {}

    /**
     * The keys recorded for a protected person: every normalised combination her subject supports, with her
     * real birth year(s) and nationality, or {@code Y*} and {@code *} when the subject lacks them.
     *
     * @param subject the canonical {@code subject} object of a referral; null or not an object yields no key
     * @param on the date the referral was submitted, to turn an estimated age into birth years; when null, an
     *        estimated age is ignored
     * @return at most {@value #MAX_KEYS} keys, strongest first, unmodifiable; empty when the subject has no
     *         given name or alias, or only a given name without a birth year
     */
    public static Set<String> recorded(JsonNode subject, LocalDate on) {
        return keys(subject, on, false);
    }

    /**
     * The keys looked up for a person named in a removal objective: {@link #recorded} plus the variants with an
     * unknown birth year, an unknown nationality and an unknown family name, so that a protection recorded
     * without them still matches.
     *
     * @param subject the canonical {@code subject} object; null or not an object yields no key
     * @param on the date the referral was submitted; when null, an estimated age is ignored
     * @return at most {@value #MAX_KEYS} keys, strongest first, unmodifiable
     */
    public static Set<String> probes(JsonNode subject, LocalDate on) {
        return keys(subject, on, true);
    }

    /**
     * A name normalised: Unicode NFKD without combining marks, upper case, special Latin letters expanded,
     * Cyrillic, Greek and Arabic script transliterated ({@link Transliteration}), then anything but A–Z
     * (hyphens, apostrophes, dots, digits, emoji) made a space, runs of spaces collapsed and the ends trimmed.
     * Only the first {@value #MAX_FIELD_CHARS} characters are read.
     *
     * @return the letters A–Z separated by single spaces, or an empty string (also for null)
     */
    static String normalise(String name) {
        if (name == null || name.isEmpty()) {
            return "";
        }
        String head = name.length() > MAX_FIELD_CHARS ? name.substring(0, MAX_FIELD_CHARS) : name;
        String bare =
                MARKS.matcher(Normalizer.normalize(head, Normalizer.Form.NFKD)).replaceAll("");
        String latin = Transliteration.toLatin(bare.toUpperCase(Locale.ROOT));
        return SPACES.matcher(latin).replaceAll(" ").trim();
    }

    /**
     * The consonant skeleton of a normalised token, where spellings of one name across scripts meet:
     * SCH, SH and CH become S; ZH and DJ become J; KH, CK, C and Q become K; GH and G become H (Ukrainian Г
     * is H on passports); TH, DH and PH become T, D and F; Z becomes S and X becomes KS; the vowels A E I O U
     * and the semi-vowels Y and W are dropped; then repeated letters collapse. MOHAMED, MUHAMMAD and محمد
     * (MHMD) all give MHMD; NATALIA, NATALYA and НАТАЛЬЯ give NTL.
     *
     * @param token letters A–Z only
     * @return the skeleton, empty when the token has only vowels
     */
    static String skeleton(String token) {
        StringBuilder skeleton = new StringBuilder(token.length());
        int i = 0;
        while (i < token.length()) {
            char c = token.charAt(i);
            char next = i + 1 < token.length() ? token.charAt(i + 1) : ' ';
            String sound;
            int length = 2;
            if (c == 'S' && next == 'C' && i + 2 < token.length() && token.charAt(i + 2) == 'H') {
                sound = "S";
                length = 3;
            } else if (next == 'H' && "SCZKGTDP".indexOf(c) >= 0) {
                sound = switch (c) {
                    case 'S', 'C' -> "S";
                    case 'Z' -> "J";
                    case 'G' -> "H";
                    case 'P' -> "F";
                    default -> String.valueOf(c);
                };
            } else if (c == 'C' && next == 'K') {
                sound = "K";
            } else if (c == 'D' && next == 'J') {
                sound = "J";
            } else {
                length = 1;
                sound = switch (c) {
                    case 'A', 'E', 'I', 'O', 'U', 'Y', 'W' -> "";
                    case 'C', 'Q' -> "K";
                    case 'Z' -> "S";
                    case 'X' -> "KS";
                    case 'G' -> "H";
                    default -> String.valueOf(c);
                };
            }
            for (int s = 0; s < sound.length(); s++) {
                char letter = sound.charAt(s);
                if (skeleton.isEmpty() || skeleton.charAt(skeleton.length() - 1) != letter) {
                    skeleton.append(letter);
                }
            }
            i += length;
        }
        return skeleton.toString();
    }

    private static Set<String> keys(JsonNode subject, LocalDate on, boolean probe) {
        if (subject == null || !subject.isObject()) {
            return Set.of();
        }
        Person person = Person.of(subject, on);
        Set<String> keys = new LinkedHashSet<>();
        for (Form form : forms(person)) {
            boolean familyUnknown =
                    form.kind().equals(Form.GIVEN) || form.kind().equals(Form.GIVEN_SKELETON);
            if (familyUnknown
                    && (person.years().isEmpty() || !(probe || person.family().isEmpty()))) {
                continue;
            }
            Set<String> years = new LinkedHashSet<>(person.years());
            if (years.isEmpty() || (probe && !familyUnknown)) {
                years.add(UNKNOWN);
            }
            // The other way round: a protection recorded with a birth year also stands under "any year", which only
            // a probe that knows no birth year looks for. A removal objective without a birth date thus still meets
            // a protected person of the same names and nationality, while two known years must agree.
            if (!familyUnknown
                    && (probe ? person.years().isEmpty() : !person.years().isEmpty())) {
                years.add(ANY_YEAR);
            }
            Set<String> nationalities = new LinkedHashSet<>(List.of(person.nationality()));
            if (probe) {
                nationalities.add(UNKNOWN);
            }
            for (String year : years) {
                for (String nationality : nationalities) {
                    if (keys.size() == MAX_KEYS) {
                        return Collections.unmodifiableSet(keys);
                    }
                    keys.add(String.join("|", VERSION, form.kind(), form.names(), "Y" + year, nationality));
                }
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    /** The name combinations of a person, strongest first. */
    private static List<Form> forms(Person person) {
        List<Form> forms = new ArrayList<>();
        List<String> given = person.given();
        List<String> family = person.family();
        List<String> alias = person.alias();
        if (!family.isEmpty()) {
            names(forms, family, given);
        } else if (given.size() >= 2) {
            // the whole name written in the given-name field: its last token is read as the family name
            names(forms, last(given), allButLast(given));
        }
        givenOnly(forms, given);
        if (!family.isEmpty() && !given.isEmpty()) {
            forms.add(new Form(Form.NAME, whole(given) + "|" + sorted(family)));
            String givenSkeleton = skeleton(whole(given));
            significant(family).stream().findFirst().map(IdentityKeys::skeleton).ifPresent(familySkeleton -> {
                if (!givenSkeleton.isEmpty() && !familySkeleton.isEmpty()) {
                    forms.add(new Form(Form.SKELETON, givenSkeleton + "|" + familySkeleton));
                }
            });
        }
        // an alias of several words is a full name; its given part (or a one-word alias) also goes with the
        // real family name, as when an agency knows her by her working name only
        List<String> aliasGiven = alias.size() >= 2 ? allButLast(alias) : alias;
        if (alias.size() >= 2) {
            names(forms, last(alias), aliasGiven);
        }
        names(forms, family, aliasGiven);
        givenOnly(forms, aliasGiven);
        return forms;
    }

    /**
     * The whole family name with every given form, each part of the family name with each given name, then the
     * skeletons of those pairs. The sorted and concatenated given forms go with the whole family name only: with
     * a part, they would match nothing that the single given names do not already match.
     */
    private static void names(List<Form> forms, List<String> family, List<String> given) {
        if (family.isEmpty() || given.isEmpty()) {
            return;
        }
        List<String> familyForms = familyForms(family);
        List<String> each = significant(given);
        for (int f = 0; f < familyForms.size(); f++) {
            for (String givenForm : f == 0 ? givenForms(given) : each) {
                forms.add(new Form(Form.NAME, familyForms.get(f) + "|" + givenForm));
            }
        }
        for (String familySkeleton : skeletons(familyForms)) {
            for (String givenSkeleton : skeletons(each)) {
                forms.add(new Form(Form.SKELETON, familySkeleton + "|" + givenSkeleton));
            }
        }
    }

    /** Each given name alone and its skeleton, for a family name unknown on one side. */
    private static void givenOnly(List<Form> forms, List<String> given) {
        List<String> each = significant(given);
        for (String givenName : each) {
            forms.add(new Form(Form.GIVEN, givenName));
        }
        for (String givenSkeleton : skeletons(each)) {
            forms.add(new Form(Form.GIVEN_SKELETON, givenSkeleton));
        }
    }

    /** The whole family name written together, then its first and last significant parts. */
    private static List<String> familyForms(List<String> family) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(whole(family));
        List<String> parts = significant(family);
        if (!parts.isEmpty()) {
            forms.add(parts.get(0));
            forms.add(parts.get(parts.size() - 1));
        }
        return List.copyOf(forms);
    }

    /** The given names in any order, written together, then each significant one alone. */
    private static List<String> givenForms(List<String> given) {
        Set<String> forms = new LinkedHashSet<>();
        if (!given.isEmpty()) {
            forms.add(sorted(given));
            forms.add(whole(given));
            forms.addAll(significant(given));
        }
        return List.copyOf(forms);
    }

    private static List<String> skeletons(List<String> tokens) {
        Set<String> skeletons = new LinkedHashSet<>();
        for (String token : tokens) {
            String skeleton = skeleton(token);
            if (!skeleton.isEmpty()) {
                skeletons.add(skeleton);
            }
        }
        return List.copyOf(skeletons);
    }

    private static List<String> significant(List<String> tokens) {
        return tokens.stream()
                .filter(t -> t.length() > 1 && !PARTICLES.contains(t))
                .distinct()
                .toList();
    }

    private static List<String> last(List<String> tokens) {
        return tokens.subList(tokens.size() - 1, tokens.size());
    }

    private static List<String> allButLast(List<String> tokens) {
        return tokens.subList(0, tokens.size() - 1);
    }

    private static String whole(List<String> tokens) {
        return String.join("", tokens);
    }

    private static String sorted(List<String> tokens) {
        return String.join("-", new TreeSet<>(tokens));
    }

    /** One name combination: its kind and its names joined by {@code |}. */
    private record Form(String kind, String names) {
        static final String NAME = "NAME";
        static final String SKELETON = "SKEL";
        static final String GIVEN = "GIVEN";
        static final String GIVEN_SKELETON = "GSKEL";

        @Override
        public String toString() {
            return "Form[" + kind + ", names redacted]";
        }
    }

    /** What a subject says about identity, normalised; absent fields are empty lists or {@code *}. */
    private record Person(
            List<String> given, List<String> family, List<String> alias, List<String> years, String nationality) {

        static Person of(JsonNode subject, LocalDate on) {
            List<String> given = tokens(subject.get("givenName"));
            List<String> alias = tokens(subject.get("alias"));
            return new Person(
                    given.isEmpty() ? alias : given,
                    tokens(subject.get("familyName")),
                    alias,
                    years(subject, on),
                    nationality(subject.get("nationality")));
        }

        private static List<String> tokens(JsonNode field) {
            if (field == null || !field.isTextual()) {
                return List.of();
            }
            String name = normalise(field.textValue());
            if (name.isEmpty()) {
                return List.of();
            }
            return Arrays.stream(name.split(" ")).limit(MAX_TOKENS).toList();
        }

        private static List<String> years(JsonNode subject, LocalDate on) {
            JsonNode birthDate = subject.get("birthDate");
            if (birthDate != null && birthDate.isTextual()) {
                try {
                    int year = LocalDate.parse(birthDate.textValue()).getYear();
                    if (year >= 1000 && year <= 9999) {
                        return List.of(Integer.toString(year));
                    }
                } catch (DateTimeException unreadable) {
                    // an unreadable birth date is absent: fall through to the estimated age
                }
            }
            JsonNode age = subject.get("estimatedAge");
            if (on == null
                    || age == null
                    || !age.isIntegralNumber()
                    || !age.canConvertToInt()
                    || age.intValue() < 0
                    || age.intValue() > 130) {
                return List.of();
            }
            int estimated = on.getYear() - age.intValue();
            List<String> years = new ArrayList<>();
            for (int year = estimated - AGE_TOLERANCE_YEARS; year <= estimated + AGE_TOLERANCE_YEARS; year++) {
                years.add(Integer.toString(year));
            }
            return List.copyOf(years);
        }

        private static String nationality(JsonNode field) {
            if (field == null
                    || !field.isTextual()
                    || !NATIONALITY.matcher(field.textValue()).matches()) {
                return UNKNOWN;
            }
            return field.textValue().toUpperCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return "Person[redacted]";
        }
    }
}
