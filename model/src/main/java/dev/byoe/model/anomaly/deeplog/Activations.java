package dev.byoe.model.anomaly.deeplog;

/**
 * The gates' sigmoid and tanh from additions, multiplications, fused multiply-adds and one
 * division, each rounded once as IEEE 754 says: so they give the same bits on every JVM, compiled
 * or interpreted, one float at a time here and lane by lane in {@link VectorLstmForward}. That is
 * what lets the scalar and the vector pass agree to the bit. e^x: range reduction x = n ln2 + r
 * (ln2 in two parts), a degree-7 polynomial for e^r (Cephes's expf coefficients), 2^n written into
 * the exponent bits; within ~2 ulps of {@link Math#exp}. Arguments are clamped to [-87, 88], where
 * e^x stays a normal float, so sigmoid and tanh are exactly 0, 1 and -1 at the ends; NaN stays NaN.
 */
final class Activations {
    static final float LOG2E = 1.44269504088896341f;

    /**
     * 1.5 * 2^23: adding it rounds to the nearest integer for |values| < 2^22, which then sits in
     * the low bits of the sum, where 2^n's exponent field is taken from.
     */
    static final float ROUND = 12582912f;

    static final float LN2_HIGH = 0.693359375f;
    static final float LN2_LOW = -2.12194440e-4f;
    static final float EXP_P0 = 1.9875691500e-4f;
    static final float EXP_P1 = 1.3981999507e-3f;
    static final float EXP_P2 = 8.3334519073e-3f;
    static final float EXP_P3 = 4.1665795894e-2f;
    static final float EXP_P4 = 1.6666665459e-1f;
    static final float EXP_P5 = 5.0000001201e-1f;

    /** Added to the bits of {@code x log2(e) + ROUND} to give those of 2^n once shifted by 23. */
    static final int EXPONENT_BIAS = 127 - Float.floatToRawIntBits(ROUND);

    private Activations() {}

    static float sigmoid(float x) {
        return activate(x, 1f, 1f, 0f);
    }

    /** 2 sigmoid(2x) - 1: doubling is exact, so this is 2 / (1 + e^-2x) - 1 bit for bit. */
    static float tanh(float x) {
        return activate(x, 2f, 2f, -1f);
    }

    /**
     * {@code outScale / (1 + e^(-inScale v)) + outShift}, in exactly the operations and order of
     * {@link VectorLstmForward}'s loop (its comments say why each is so).
     */
    static float activate(float v, float inScale, float outScale, float outShift) {
        float x = v * -inScale;
        if (x < -87f) {
            x = -87f;
        }
        if (x > 88f) {
            x = 88f;
        }
        float shifted = x * LOG2E + ROUND; // Java rounds the product and the sum apart
        float n = shifted - ROUND;
        float r = Math.fma(n, -LN2_HIGH, x);
        r = Math.fma(n, -LN2_LOW, r);
        float p = Math.fma(r, EXP_P0, EXP_P1);
        p = Math.fma(p, r, EXP_P2);
        p = Math.fma(p, r, EXP_P3);
        p = Math.fma(p, r, EXP_P4);
        p = Math.fma(p, r, EXP_P5);
        float scale =
                Float.intBitsToFloat((Float.floatToRawIntBits(shifted) + EXPONENT_BIAS) << 23);
        float e = Math.fma(p, r * r, r + 1f) * scale;
        return 1f / (1f + e) * outScale + outShift;
    }
}
