package fr.passerelle.core.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** Finds the known word an administrator probably meant, by edit distance. */
final class Suggest {
    private Suggest() {}

    /**
     * The closest candidate, when it is close enough to be a typo rather than another word; a candidate that the
     * typed word begins (three letters at least) wins over the edit distance: 'soft' means 'soft-fail', not 'off'.
     */
    static Optional<String> closest(String typed, Collection<String> candidates) {
        String lower = typed.toLowerCase(Locale.ROOT);
        Optional<String> completed = lower.length() < 3
                ? Optional.empty()
                : candidates.stream()
                        .filter(c -> c.toLowerCase(Locale.ROOT).startsWith(lower))
                        .min(java.util.Comparator.comparingInt(String::length));
        if (completed.isPresent()) {
            return completed;
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(typed.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int tolerated = Math.max(2, typed.length() / 3);
        return bestDistance <= tolerated ? Optional.ofNullable(best) : Optional.empty();
    }

    /** "did you mean 'x'?" or the fallback. */
    static String didYouMean(String typed, Collection<String> candidates, String otherwise) {
        return closest(typed, candidates).map(c -> "did you mean '" + c + "'?").orElse(otherwise);
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
