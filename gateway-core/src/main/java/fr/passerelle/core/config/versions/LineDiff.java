package fr.passerelle.core.config.versions;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line, as {@code diff -u} prints it without the file headers: hunks that
 * start with {@code @@ -a,b +c,d @@}, then lines that start with a space (context), {@code -} or {@code +}.
 * java-diff-utils computes it (Myers' algorithm, in time and memory near the size of the change).
 */
final class LineDiff {
    static final int CONTEXT = 2;

    private LineDiff() {}

    static List<String> unified(String before, String after) {
        List<String> a = before.lines().toList();
        List<String> b = after.lines().toList();
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return List.of();
        }
        List<String> diff = new ArrayList<>(UnifiedDiffUtils.generateUnifiedDiff("before", "after", a, patch, CONTEXT));
        // The first two lines are the --- and +++ file headers, which the caller prints its own way.
        diff.subList(0, 2).clear();
        // With context, only an empty side has a range of no lines. java-diff-utils starts it at line 1;
        // diff -u, and patch, start it at 0 (the line after which it would stand).
        if (a.isEmpty()) {
            diff.set(0, diff.get(0).replace("@@ -1,0 +", "@@ -0,0 +"));
        }
        if (b.isEmpty()) {
            diff.set(0, diff.get(0).replace(" +1,0 @@", " +0,0 @@"));
        }
        return List.copyOf(diff);
    }
}
