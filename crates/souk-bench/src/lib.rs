//! Physical anchors for the benchmarks in `bench/`: what the hardware does
//! without Souk's logic, measured in the same run as Souk itself.

pub mod people;
