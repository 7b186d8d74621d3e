package fr.passerelle.core.config.versions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LineDiffTest {
    @Test
    void showsNothingForEqualTexts() {
        assertThat(LineDiff.unified("a\nb\n", "a\nb\n")).isEmpty();
        assertThat(LineDiff.unified("", "")).isEmpty();
    }

    @Test
    void showsAChangedLineWithTwoLinesOfContextRemovalFirst() {
        String before = "one\ntwo\nthree\nfour\nfive\nsix\nseven\n";
        String after = "one\ntwo\nthree\nFOUR\nfive\nsix\nseven\n";

        assertThat(LineDiff.unified(before, after))
                .containsExactly("@@ -2,5 +2,5 @@", " two", " three", "-four", "+FOUR", " five", " six");
    }

    @Test
    void showsANewFileAsAdditionsFromLineZero() {
        assertThat(LineDiff.unified("", "a\nb\n")).containsExactly("@@ -0,0 +1,2 @@", "+a", "+b");
    }

    @Test
    void showsADeletedFileAsRemovalsToLineZero() {
        assertThat(LineDiff.unified("a\nb\n", "")).containsExactly("@@ -1,2 +0,0 @@", "-a", "-b");
    }

    @Test
    void countsLinesAddedAtTheEnd() {
        assertThat(LineDiff.unified("a\nb\nc\n", "a\nb\nc\nd\n")).containsExactly("@@ -2,2 +2,3 @@", " b", " c", "+d");
    }

    @Test
    void joinsChangesFourLinesApartAndSplitsThoseFiveApart() {
        String before = numbered(1, 20);
        String close = before.replace("line 5\n", "five\n").replace("line 10\n", "ten\n");
        String far = before.replace("line 3\n", "three\n").replace("line 9\n", "nine\n");

        assertThat(LineDiff.unified(before, close))
                .containsExactly(
                        "@@ -3,10 +3,10 @@",
                        " line 3",
                        " line 4",
                        "-line 5",
                        "+five",
                        " line 6",
                        " line 7",
                        " line 8",
                        " line 9",
                        "-line 10",
                        "+ten",
                        " line 11",
                        " line 12");
        assertThat(LineDiff.unified(before, far))
                .containsExactly(
                        "@@ -1,5 +1,5 @@",
                        " line 1",
                        " line 2",
                        "-line 3",
                        "+three",
                        " line 4",
                        " line 5",
                        "@@ -7,5 +7,5 @@",
                        " line 7",
                        " line 8",
                        "-line 9",
                        "+nine",
                        " line 10",
                        " line 11");
    }

    @Test
    void showsOnlyTheChangedLineOfALargeFile() {
        String before = numbered(1, 5_000);
        String after = before.replace("line 2500\n", "changed\n");

        assertThat(LineDiff.unified(before, after))
                .containsExactly(
                        "@@ -2498,5 +2498,5 @@",
                        " line 2498",
                        " line 2499",
                        "-line 2500",
                        "+changed",
                        " line 2501",
                        " line 2502");
    }

    @Test
    void ignoresTheMissingNewlineAtTheEnd() {
        assertThat(LineDiff.unified("a\nb", "a\nb\n")).isEmpty();
    }

    private static String numbered(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    }
}
