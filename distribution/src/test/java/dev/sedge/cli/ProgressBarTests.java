package dev.sedge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTests {

    private final StringWriter text = new StringWriter();
    private long now;

    private ProgressBar bar(int width) {
        return new ProgressBar(new PrintWriter(text), "train", width, () -> now);
    }

    @Test
    void aLogGetsOneLinePerTenthWithElapsedTimeRateAndTimeLeft() {
        ProgressBar bar = bar(0);
        for (int step = 0; step <= 400; step++) {
            now = step * 50_000_000L; // 20 steps a second
            bar.update(step, 400, "step " + step);
        }
        List<String> lines = text.toString().lines().toList();
        assertEquals(11, lines.size(), text.toString());
        assertEquals("train: 0/400 0% 0:00  step 0", lines.getFirst());
        assertEquals("train: 120/400 30% 0:06 20.0/s ETA 0:14  step 120", lines.get(3));
        assertEquals("train: 400/400 100% 0:20 20.0/s  step 400", lines.getLast());
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAtMostTenTimesASecondAndFitsTheWidth() {
        ProgressBar bar = bar(100);
        for (int step = 0; step <= 100; step++) {
            now = step * 10_000_000L; // 100 steps a second: one draw in ten
            bar.update(step, 100, "step " + step + " loss 0.1234 train_acc 1.000 test_acc 0.608 windows 37 and more words");
        }
        String out = text.toString();
        String[] draws = out.split("\r");
        assertEquals(1 + 11, draws.length, out); // before the first \r, nothing
        for (int i = 1; i < draws.length; i++) {
            String visible = draws[i].replace("\u001b[K", "").strip();
            assertTrue(visible.length() < 100, visible.length() + " columns: " + visible);
        }
        assertTrue(draws[6].startsWith("train [##########          ] 50/100 50% 0:01 100/s ETA 0:01  step 50"), draws[6]);
        assertTrue(out.endsWith("\n"), "the last draw ends its line");
    }

    @Test
    void aNarrowTerminalDropsTheBarAndKeepsTheNumbers() {
        ProgressBar bar = bar(55);
        now = 0;
        bar.update(0, 400, "starting");
        now = 2_000_000_000L;
        bar.update(40, 400, "step 40 loss 0.5 train_acc 0.9 test_acc 0.1 windows 21");
        String last = text.toString().substring(text.toString().lastIndexOf('\r') + 1).replace("\u001b[K", "");
        assertFalse(last.contains("["), last);
        assertTrue(last.startsWith("train 40/400 10% 0:02 20.0/s ETA 0:18  step 40"), last);
        assertEquals(54, last.length(), last);
    }

    @Test
    void durationsReadAsMinutesOrHours() {
        assertEquals("0:07", ProgressBar.duration(7.2));
        assertEquals("12:30", ProgressBar.duration(750));
        assertEquals("1:02:03", ProgressBar.duration(3723));
    }
}
