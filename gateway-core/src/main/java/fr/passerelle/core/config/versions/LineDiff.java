package fr.passerelle.core.config.versions;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line, as {@code diff -u} prints it without the file headers: hunks that
 * start with {@code @@ -a,b +c,d @@}, then lines that start with a space (context), {@code -} or {@code +}.
 * Configuration files are small; past {@link #MAX_CELLS} line pairs, the whole text is shown replaced.
 */
final class LineDiff {
    static final int CONTEXT = 2;
    static final long MAX_CELLS = 4_000_000;

    private LineDiff() {
    }

    static List<String> unified(String before, String after) {
        List<String> a = before.isEmpty() ? List.of() : before.lines().toList();
        List<String> b = after.isEmpty() ? List.of() : after.lines().toList();
        List<Edit> edits = (long) a.size() * b.size() > MAX_CELLS ? replaceAll(a, b) : edits(a, b);
        return hunks(edits);
    }

    private record Edit(char op, String line, int oldLine, int newLine) {
    }

    /** The edits of a longest common subsequence, in order. */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int n = a.size();
        int m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(i).equals(b.get(j))) {
                edits.add(new Edit(' ', a.get(i), ++i, ++j));
            } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // Removals before additions, as diff -u prints a replaced line.
                edits.add(new Edit('-', a.get(i), ++i, j));
            } else {
                edits.add(new Edit('+', b.get(j), i, ++j));
            }
        }
        return edits;
    }

    private static List<Edit> replaceAll(List<String> a, List<String> b) {
        List<Edit> edits = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            edits.add(new Edit('-', a.get(i), i + 1, 0));
        }
        for (int j = 0; j < b.size(); j++) {
            edits.add(new Edit('+', b.get(j), a.size(), j + 1));
        }
        return edits;
    }

    private static List<String> hunks(List<Edit> edits) {
        List<String> out = new ArrayList<>();
        int k = 0;
        while (k < edits.size()) {
            if (edits.get(k).op() == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            // Extend over changes separated by at most twice the context.
            while (end < edits.size()) {
                if (edits.get(end).op() != ' ') {
                    end++;
                    continue;
                }
                int next = end;
                while (next < edits.size() && edits.get(next).op() == ' ') {
                    next++;
                }
                if (next < edits.size() && next - end <= 2 * CONTEXT) {
                    end = next;
                } else {
                    end = Math.min(edits.size(), end + CONTEXT);
                    break;
                }
            }
            List<Edit> hunk = edits.subList(start, end);
            int oldCount = (int) hunk.stream().filter(e -> e.op() != '+').count();
            int newCount = (int) hunk.stream().filter(e -> e.op() != '-').count();
            int oldStart = hunk.stream().filter(e -> e.op() != '+').mapToInt(Edit::oldLine).findFirst()
                    .orElse(hunk.get(0).oldLine());
            int newStart = hunk.stream().filter(e -> e.op() != '-').mapToInt(Edit::newLine).findFirst()
                    .orElse(hunk.get(0).newLine());
            out.add("@@ -" + oldStart + "," + oldCount + " +" + newStart + "," + newCount + " @@");
            hunk.forEach(e -> out.add(e.op() + e.line()));
            k = end;
        }
        return out;
    }
}
