import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import dev.sedge.api.PluginConfig;
import dev.sedge.api.checkpoint.DType;
import dev.sedge.api.checkpoint.TensorInfo;
import dev.sedge.api.djl.model.Architecture;
import dev.sedge.api.djl.model.ModelSpec;
import dev.sedge.api.djl.optim.Optimizer;
import dev.sedge.api.djl.optim.OptimizerRun;
import dev.sedge.api.model.TaskShape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;

/**
 * One full-batch step of the lock-in setup (docs/science.md, "The Feature Repulsion paper"): mlp2, p = 71, K = 2048,
 * x², zero-mean MSE, 2016 training pairs, adam lr 1e-3 with coupled L2 2e-4, with the weight-decay
 * part accumulated per parameter as a host would. Run by run.sh on the module path, the way the
 * distribution runs. Prints the median, min and max step time over the timed steps.
 *
 * <p>Arguments: [warmup steps, default 5] [timed steps, default 30].
 */
public class Mlp2StepBench {

    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int timed = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int p = 71;
        int trainSize = 2016;
        List<Integer> pairs = new ArrayList<>();
        for (int i = 0; i < p * p; i++) {
            pairs.add(i);
        }
        Collections.shuffle(pairs, new Random(0));
        int[] tokens = new int[2 * trainSize];
        int[] labels = new int[trainSize];
        for (int n = 0; n < trainSize; n++) {
            int a = pairs.get(n) / p;
            int b = pairs.get(n) % p;
            tokens[2 * n] = a;
            tokens[2 * n + 1] = b;
            labels[n] = (a + b) % p;
        }
        Architecture mlp2 = ServiceLoader.load(Architecture.class).stream().map(ServiceLoader.Provider::get)
                .filter(a -> a.name().equals("mlp2")).findFirst().orElseThrow();
        Optimizer adam = ServiceLoader.load(Optimizer.class).stream().map(ServiceLoader.Provider::get)
                .filter(o -> o.name().equals("adam")).findFirst().orElseThrow();
        System.err.println("engine " + Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion()
                + " from " + Engine.getInstance().getClass().getModule() + "; mlp2 from "
                + mlp2.getClass().getModule() + "; adam from " + adam.getClass().getModule());
        ModelSpec spec = mlp2.create(PluginConfig.of("architecture.mlp2", mlp2.descriptor(),
                Map.of("hidden", 2048, "activation", "square")), new TaskShape(p, 2, List.of(p)));
        Block block = spec.block();
        try (NDManager model = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(0);
            block.initialize(model, DataType.FLOAT32, new Shape(trainSize, 2));
            List<TensorInfo> layout = new ArrayList<>();
            Map<String, NDArray> decays = new LinkedHashMap<>();
            for (Pair<String, Parameter> e : block.getParameters()) {
                Shape shape = e.getValue().getShape();
                layout.add(new TensorInfo(e.getKey(), DType.F32, Arrays.stream(shape.getShape()).boxed().toList()));
                decays.put(e.getKey(), model.zeros(shape));
            }
            ParameterStore store = new ParameterStore(model, false);
            PluginConfig adamConfig = PluginConfig.of("optimizer.adam", adam.descriptor(),
                    Map.of("learning-rate", 1e-3, "weight-decay", 2e-4));
            double[] millis = new double[timed];
            float loss = Float.NaN;
            try (OptimizerRun run = adam.create(adamConfig, layout)) {
                for (int step = 1; step <= warmup + timed; step++) {
                    long start = System.nanoTime();
                    try (NDManager scope = model.newSubManager()) {
                        NDArray x = scope.create(tokens, new Shape(trainSize, 2));
                        NDArray y = scope.create(labels);
                        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                            NDList out = block.forward(store, new NDList(x), true);
                            NDArray value = spec.loss().evaluate(new NDList(y), out);
                            collector.backward(value);
                            loss = value.getFloat();
                        }
                        for (Pair<String, Parameter> e : block.getParameters()) {
                            NDArray weight = e.getValue().getArray();
                            NDArray gradient = weight.getGradient();
                            scope.attachAll(gradient);
                            run.update(step, e.getKey(), weight, gradient, decays.get(e.getKey()));
                            gradient.subi(gradient);
                        }
                    }
                    if (step > warmup) {
                        millis[step - warmup - 1] = (System.nanoTime() - start) / 1e6;
                    }
                }
            }
            Arrays.sort(millis);
            System.out.printf("djl mlp2 step (p=71, K=2048, N=2016, x^2, adam): median %.1f ms, min %.1f ms, "
                    + "max %.1f ms over %d steps; loss after %d steps %.6f%n", millis[timed / 2], millis[0],
                    millis[timed - 1], timed, warmup + timed, loss);
        }
    }
}
