package dev.sedge.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeadsLossTests {

    /** Losses of order 1 in float32. */
    private static final double TOLERANCE = 1e-6;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    private NDArray predictions(float[] values) {
        return manager.create(values, new Shape(2, 3));
    }

    @Test
    void zeroMeanMseEqualsTheHandComputedValue() {
        // example 1: y = 0, Y - y_hat = (0.5, 0.2, -0.1), centred (0.3, 0, -0.3): 1/2 * 0.18 = 0.09
        // example 2: y = 2, Y - y_hat = (0, -1, -1), centred (2/3, -1/3, -1/3): 1/2 * 2/3 = 1/3
        NDArray yHat = predictions(new float[] {0.5f, -0.2f, 0.1f, 0f, 1f, 2f});
        NDArray labels = manager.create(new int[] {0, 2});
        float loss = new HeadsLoss(LossKind.ZERO_MEAN_MSE).evaluate(new NDList(labels), new NDList(yHat)).getFloat();
        assertEquals((0.09 + 1.0 / 3) / 2, loss, TOLERANCE);
    }

    @Test
    void zeroMeanMseWithoutTheHalfIsTheFeatureRepulsionCodesLoss() {
        // the paper's code: mean over examples of |o|^2 - 2 o[y] + (1 - 1/C), o = y_hat minus its row mean
        float[] yHatValues = {0.5f, -0.2f, 0.1f, 0f, 1f, 2f};
        int[] y = {0, 2};
        double expected = 0;
        for (int n = 0; n < 2; n++) {
            double mean = (yHatValues[3 * n] + yHatValues[3 * n + 1] + yHatValues[3 * n + 2]) / 3;
            double squares = 0;
            for (int c = 0; c < 3; c++) {
                squares += Math.pow(yHatValues[3 * n + c] - mean, 2);
            }
            expected += (squares - 2 * (yHatValues[3 * n + y[n]] - mean) + (1 - 1.0 / 3)) / 2;
        }
        NDArray labels = manager.create(y);
        float loss = new HeadsLoss(LossKind.ZERO_MEAN_MSE_NO_HALF)
                .evaluate(new NDList(labels), new NDList(predictions(yHatValues))).getFloat();
        assertEquals(expected, loss, TOLERANCE);
        assertEquals(0.09 + 1.0 / 3, loss, TOLERANCE); // twice zeroMeanMseEqualsTheHandComputedValue's
    }

    @Test
    void zeroMeanMseSummedOverExamplesEqualsTheHandComputedValue() {
        // the two examples above, added instead of averaged: 1/2 |P(Y - Y_hat)|_F^2 of the batch
        NDArray yHat = predictions(new float[] {0.5f, -0.2f, 0.1f, 0f, 1f, 2f});
        NDArray labels = manager.create(new int[] {0, 2});
        HeadsLoss loss = new HeadsLoss(LossKind.ZERO_MEAN_MSE, LossKind.Reduction.SUM);
        assertEquals(0.09 + 1.0 / 3, loss.evaluate(new NDList(labels), new NDList(yHat)).getFloat(), TOLERANCE);
        assertEquals(LossKind.Reduction.SUM, loss.reduction());
        assertEquals(LossKind.Reduction.MEAN, new HeadsLoss(LossKind.ZERO_MEAN_MSE).reduction());
    }

    @Test
    void crossEntropySummedOverExamplesEqualsTheHandComputedValue() {
        NDArray yHat = predictions(new float[] {0f, 0f, 0f, 0f, (float) Math.log(2), (float) Math.log(3)});
        NDArray labels = manager.create(new int[] {1, 2});
        float loss = new HeadsLoss(LossKind.CROSS_ENTROPY, LossKind.Reduction.SUM)
                .evaluate(new NDList(labels), new NDList(yHat)).getFloat();
        assertEquals(Math.log(3) + Math.log(2), loss, TOLERANCE);
    }

    @Test
    void summingAddsTheSumsOfSeveralHeads() {
        NDArray first = predictions(new float[] {0.5f, -0.2f, 0.1f, 0f, 1f, 2f});
        NDArray second = manager.create(new float[] {1f, 0f, 0f, 1f}, new Shape(2, 2));
        NDList labels = new NDList(manager.create(new int[] {0, 2}), manager.create(new int[] {0, 0}));
        float loss = new HeadsLoss(LossKind.ZERO_MEAN_MSE, LossKind.Reduction.SUM)
                .evaluate(labels, new NDList(first, second)).getFloat();
        assertEquals(0.09 + 1.0 / 3 + 1, loss, TOLERANCE);
    }

    @Test
    void zeroMeanMseIgnoresAConstantAddedToEveryClass() {
        NDArray yHat = predictions(new float[] {0.5f, -0.2f, 0.1f, 0f, 1f, 2f});
        NDArray labels = manager.create(new int[] {0, 2});
        HeadsLoss loss = new HeadsLoss(LossKind.ZERO_MEAN_MSE);
        float plain = loss.evaluate(new NDList(labels), new NDList(yHat)).getFloat();
        float shifted = loss.evaluate(new NDList(labels), new NDList(yHat.add(5f))).getFloat();
        assertEquals(plain, shifted, TOLERANCE);
    }

    @Test
    void crossEntropyEqualsTheHandComputedValue() {
        // example 1: uniform logits, y = 1: ln 3; example 2: softmax (1, 2, 3)/6, y = 2: ln 2
        NDArray yHat = predictions(new float[] {0f, 0f, 0f, 0f, (float) Math.log(2), (float) Math.log(3)});
        NDArray labels = manager.create(new int[] {1, 2});
        float loss = new HeadsLoss(LossKind.CROSS_ENTROPY).evaluate(new NDList(labels), new NDList(yHat)).getFloat();
        assertEquals((Math.log(3) + Math.log(2)) / 2, loss, TOLERANCE);
    }

    @Test
    void addsTheLossesOfSeveralHeads() {
        NDArray first = predictions(new float[] {0.5f, -0.2f, 0.1f, 0f, 1f, 2f});
        NDArray second = manager.create(new float[] {1f, 0f, 0f, 1f}, new Shape(2, 2));
        NDList labels = new NDList(manager.create(new int[] {0, 2}), manager.create(new int[] {0, 0}));
        float loss = new HeadsLoss(LossKind.ZERO_MEAN_MSE).evaluate(labels, new NDList(first, second)).getFloat();
        // second head: residuals (0, 0) and (1, -1), already centred: 0 and 1/2 * 2 = 1; mean 0.5
        assertEquals((0.09 + 1.0 / 3) / 2 + 0.5, loss, TOLERANCE);
    }

    @Test
    void rejectsALabelListOfAnotherLength() {
        NDArray yHat = predictions(new float[6]);
        NDList labels = new NDList(manager.create(new int[] {0, 1}), manager.create(new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class,
                () -> new HeadsLoss(LossKind.CROSS_ENTROPY).evaluate(labels, new NDList(yHat)));
    }
}
