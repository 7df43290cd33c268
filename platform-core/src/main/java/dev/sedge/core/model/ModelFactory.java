package dev.sedge.core.model;

import dev.sedge.api.model.ModelFunction;
import dev.sedge.core.experiment.Experiment;

/**
 * Builds the model an experiment describes as a neutral {@link ModelFunction} whose outputs are the
 * model's probe points: the seam between the analyses of core (the repulsion sign test, explain),
 * which see a model only as a function, and the module that runs models. The trainer,
 * {@code dev.sedge.train}, provides the DJL one; core finds it with {@link java.util.ServiceLoader}
 * (docs/architecture.md, "Modules"), so core itself never drives an engine.
 *
 * <p>Stateless and thread-safe; each function made is confined to one thread and closed by its caller.
 */
public interface ModelFactory {

    /**
     * The model of {@code experiment}, its parameters at their initial values (give
     * {@link ModelFunction#apply} the values to evaluate at).
     *
     * @throws dev.sedge.api.ConfigException for a configuration the architecture refuses
     * @throws dev.sedge.api.PluginException  if a plugin or the engine fails
     */
    ModelFunction create(Experiment experiment);
}
