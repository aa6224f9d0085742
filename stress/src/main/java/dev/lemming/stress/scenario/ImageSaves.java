package dev.lemming.stress.scenario;

import dev.lemming.launcher.LemmingProcess;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image-saves scenario (scenarios/ImageSaves.som): one process grows a graph for STEPS
 * steps and saves an image after each; then every tenth image is started in a fresh process,
 * which must find the graph's checksum unchanged and compute the same checksums for the next
 * three steps as the saving process did. Every process runs with the heap options given
 * (small segments and a small compaction buffer force multi-segment, multi-pass compactions).
 */
public final class ImageSaves {
    public record Result(int steps, int imagesChecked, List<String> failures, double seconds) {}

    private static final Pattern STEP = Pattern.compile("^step (\\d+) checksum (\\d+)$", Pattern.MULTILINE);

    private ImageSaves() {}

    public static Result run(int steps, List<String> heapOptions, PrintStream progress) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path dir = Files.createTempDirectory("lemming-image-saves");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        try {
            try (InputStream in = ImageSaves.class.getResourceAsStream("/scenarios/ImageSaves.som")) {
                Files.copy(in, dir.resolve("ImageSaves.som"));
            }
            List<String> first = new ArrayList<>(List.of("run"));
            first.addAll(heapOptions);
            first.addAll(List.of("-cp", dir.toString(), "ImageSaves", dir.toString(), String.valueOf(steps)));
            Run saving = lemming(first, dir);
            Map<Integer, String> sums = checksums(saving.out);
            if (saving.code != 0 || sums.size() != steps || !saving.out.contains("image-saves: done")) {
                failures.add("the saving run: exit " + saving.code + ", " + sums.size() + " of " + steps + " steps: " + tail(saving.err + saving.out));
                return new Result(steps, 0, failures, (System.nanoTime() - t0) / 1e9);
            }
            progress.printf("  %d steps saved in %.1f s%n", steps, (System.nanoTime() - t0) / 1e9);
            for (int n = 10; n <= steps; n += 10) {
                Path image = dir.resolve("step-" + n + ".image");
                List<String> resume = new ArrayList<>(List.of("run"));
                resume.addAll(heapOptions);
                resume.add(image.toString());
                Run r = lemming(resume, dir);
                checked++;
                String why = null;
                if (r.code != 0 || !r.out.contains("resumed at step " + n + ": checksum ok")) why = "exit " + r.code + ": " + tail(r.err + r.out);
                else {
                    Map<Integer, String> after = checksums(r.out);
                    for (int k = n + 1; k <= Math.min(n + 3, steps) && why == null; k++)
                        if (!sums.get(k).equals(after.get(k))) why = "step " + k + " checksum " + after.get(k) + " after resuming, " + sums.get(k) + " when saving";
                }
                if (why != null) failures.add("image of step " + n + ": " + why);
                Files.deleteIfExists(image);
                if (n % 100 == 0) progress.printf("  %d images started and checked, %d failed, %.1f s%n", checked, failures.size(), (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
        return new Result(steps, checked, failures, (System.nanoTime() - t0) / 1e9);
    }

    private record Run(int code, String out, String err) {}

    private static Run lemming(List<String> args, Path dir) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(LemmingProcess.command());
        cmd.addAll(args);
        Path out = dir.resolve("out.txt"), err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            return new Run(-1, Files.readString(out), "timed out after 30 minutes");
        }
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Map<Integer, String> checksums(String out) {
        Map<Integer, String> m = new HashMap<>();
        Matcher mt = STEP.matcher(out);
        while (mt.find()) m.put(Integer.parseInt(mt.group(1)), mt.group(2));
        return m;
    }

    private static String tail(String s) {
        String[] lines = s.strip().split("\n");
        return String.join(" | ", java.util.Arrays.asList(lines).subList(Math.max(0, lines.length - 3), lines.length));
    }
}
