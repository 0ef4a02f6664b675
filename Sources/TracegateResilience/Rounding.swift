// Rounding.swift — rounding a non-negative Double to an integer without libm.

extension FixedWidthInteger {
    /// `value` rounded half up, for the non-negative, range-checked settings this module scales
    /// (rates, ratios, fractions).
    ///
    /// Why not `Double.rounded()`: on Linux it calls libm's `round`, and this module links nothing
    /// but the standard library — an executable that imports no C library would fail to link.
    /// Adding 0.5 and truncating (a single conversion instruction) gives the same result for the
    /// values used here.
    init(roundingHalfUp value: Double) {
        self.init(value + 0.5)
    }
}
