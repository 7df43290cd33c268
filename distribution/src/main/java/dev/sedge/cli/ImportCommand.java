package dev.sedge.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sedge.core.importer.ImportJob;
import dev.sedge.core.run.LayoutEntry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code sedge import}: checkpoints trained elsewhere, made into a run directory. */
@Command(name = "import",
        header = "Make a run directory of checkpoints trained elsewhere (PyTorch .pt, safetensors, .npz).",
        description = {"Reads the checkpoints in DIR (any supported format, ordered by the step number in each",
            "file name, or by --steps) and writes them into a new run directory as float32 safetensors,",
            "with run.json (kind imported; the SHA-256 of every input). A checkpoint that wraps its state",
            "dict ({\"model\": ..., \"optimizer\": ..., \"step\": ...}) gives its model part (--key to choose).",
            "Without a model the run serves sedge spectrum and detect. With --model (an ONNX export of the",
            "network) and --task, sedge explain runs the graph with ONNX Runtime at each checkpoint: each",
            "initializer of the graph takes the checkpoint tensor of the same shape whose name equals its",
            "own up to a dotted prefix (net.blocks.0... = blocks.0...), or the one --map gives it",
            "(docs/import.md)."})
final class ImportCommand implements Callable<Integer> {

    @ParentCommand
    private SedgeCommand root;

    @Spec
    private CommandSpec spec;

    @Option(names = "--checkpoints", paramLabel = "DIR", required = true,
            description = "The folder of checkpoints (sub-folders are not read).")
    private Path checkpoints;

    @Option(names = "--out", paramLabel = "RUN", required = true,
            description = "The run directory to create; it must not exist (or be empty).")
    private Path out;

    @Option(names = "--model", paramLabel = "FILE.onnx",
            description = "The network as ONNX (torch.onnx.export with do_constant_folding=False), copied into the run.")
    private Path model;

    @Option(names = "--task", paramLabel = "NAME",
            description = "The task the model was trained on (see `sedge plugins`); explain needs it.")
    private String task;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A setting of the task (task.p=97) or the data seed (seed=0); repeatable.")
    private Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--key", paramLabel = "KEY",
            description = "Take the tensors under this top-level key of each checkpoint (model, state_dict ...)."
                    + " Default: the one of model, state_dict, model_state_dict present, else every tensor.")
    private String key;

    @Option(names = "--map", paramLabel = "FILE.json",
            description = "A JSON object naming the checkpoint tensor of graph initializers: {\"initializer\": "
                    + "\"tensor\", ...}; the others are matched by name.")
    private Path map;

    @Option(names = "--group", paramLabel = "NAME=GLOB",
            description = "A parameter group of the run's layout, e.g. attn='blocks.*.attn.*.weight' (repeatable;"
                    + " a tensor joins the first group whose glob matches its name). The first is the run's"
                    + " default spectrum group.")
    private Map<String, String> groups = new LinkedHashMap<>();

    @Option(names = "--steps", paramLabel = "STEP", split = ",",
            description = "The step of each checkpoint, comma-separated, in file-name order, for files whose names"
                    + " carry none.")
    private List<Long> steps = new ArrayList<>();

    @Option(names = "--train", paramLabel = "FILE.json",
            description = "The inputs the model trained on: a JSON array of input indices in the task's order (for"
                    + " the modular tasks a*p + b). The rest is the test split explain ablates on. Default: the"
                    + " task's own split for --set seed.")
    private Path train;

    @Option(names = "--input", paramLabel = "NAME", defaultValue = "",
            description = "The graph input that takes the task's inputs: int tokens [batch, S], or float one-hot"
                    + " vectors [batch, S*V] or [batch, S, V] (read off the graph). Default: the graph's first input.")
    private String input;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Map<String, String> taskSettings = new TreeMap<>(settings);
        if (task != null) {
            taskSettings.put("task.name", task);
        }
        if (!taskSettings.isEmpty() && !taskSettings.containsKey("task.name")) {
            throw new dev.sedge.api.ConfigException("--set " + settings.keySet() + " configures a task, but none is"
                    + " chosen: add --task NAME");
        }
        ImportJob.Result result = new ImportJob(root.registry(err)).run(new ImportJob.Request(checkpoints,
                Optional.ofNullable(model), Optional.ofNullable(key), Optional.ofNullable(map), taskSettings, steps,
                groups, input, Optional.ofNullable(train), out), ProgressBar.on(err, "import"));
        spec.commandLine().getOut().print(root.json() ? json(result) : text(result));
        return Main.OK;
    }

    static String text(ImportJob.Result r) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "imported %d checkpoints (steps %d to %d),"
                + " %d tensors%s -> %s%n", r.steps().size(), r.steps().getFirst(), r.steps().getLast(),
                r.layout().size(), r.prefix().isEmpty() ? "" : " under '" + r.prefix() + "'", r.run()));
        if (!r.matched().isEmpty()) {
            List<String> renamed = r.matched().entrySet().stream().filter(e -> !e.getKey().equals(e.getValue()))
                    .map(e -> e.getKey() + " <- " + e.getValue()).toList();
            out.append(String.format(Locale.ROOT, "model: %d initializers matched (%d by a name that differs, e.g."
                    + " %s)%n", r.matched().size(), renamed.size(), renamed.isEmpty() ? "none" : renamed.getFirst()));
        }
        if (!r.graphOnly().isEmpty()) {
            out.append("  the graph's own values kept (no checkpoint tensor matched): ")
                    .append(String.join(", ", r.graphOnly())).append('\n');
        }
        if (!r.checkpointOnly().isEmpty()) {
            out.append("  not imported (no initializer takes them): ").append(String.join(", ", r.checkpointOnly()))
                    .append('\n');
        }
        Map<String, Long> groups = r.layout().stream().flatMap(e -> e.groups().stream())
                .collect(Collectors.groupingBy(g -> g, LinkedHashMap::new, Collectors.counting()));
        groups.forEach((g, n) -> out.append(String.format(Locale.ROOT, "group %s: %d tensors%n", g, n)));
        if (r.excluded() > 0) {
            out.append(String.format(Locale.ROOT, "%d other tensors of each checkpoint left out (outside the model"
                    + " part, or not floating point)%n", r.excluded()));
        }
        return out.toString();
    }

    static String json(ImportJob.Result r) {
        ObjectNode root = JsonOutput.document();
        root.put("run", r.run().toString());
        ArrayNode steps = root.putArray("steps");
        r.steps().forEach(steps::add);
        root.put("prefix", r.prefix());
        ArrayNode layout = root.putArray("layout");
        r.layout().forEach(e -> {
            ObjectNode node = layout.addObject();
            node.put("name", e.name());
            ArrayNode shape = node.putArray("shape");
            e.shape().forEach(shape::add);
            e.groups().forEach(node.putArray("groups")::add);
        });
        ObjectNode matched = root.putObject("matched");
        r.matched().forEach(matched::put);
        ArrayNode graphOnly = root.putArray("graph_only");
        r.graphOnly().forEach(graphOnly::add);
        ArrayNode checkpointOnly = root.putArray("checkpoint_only");
        r.checkpointOnly().forEach(checkpointOnly::add);
        root.put("excluded", r.excluded());
        return JsonOutput.render(root);
    }
}
