//! Exact linear algebra for the disclosure check: residues modulo the Mersenne prime
//! 2⁶¹ − 1 (no rounding, unlike floating-point elimination; a dependency over the
//! rationals exists modulo p unless p divides a minor of the matrix, which for tables of
//! survey counts it does not in any practical sense), and a basis in echelon form that
//! says which inserted vectors give a vector in their span.

/// The Mersenne prime 2⁶¹ − 1.
pub(super) const P: u64 = (1 << 61) - 1;

pub(super) fn add(a: u64, b: u64) -> u64 {
    let s = a + b;
    if s >= P {
        s - P
    } else {
        s
    }
}

pub(super) fn sub(a: u64, b: u64) -> u64 {
    if a >= b {
        a - b
    } else {
        a + P - b
    }
}

pub(super) fn mul(a: u64, b: u64) -> u64 {
    let x = (a as u128) * (b as u128);
    let s = ((x as u64) & P) + ((x >> 61) as u64);
    if s >= P {
        s - P
    } else {
        s
    }
}

pub(super) fn inverse(a: u64) -> u64 {
    // Fermat: a^(p−2).
    let (mut base, mut e, mut out) = (a, P - 2, 1u64);
    while e > 0 {
        if e & 1 == 1 {
            out = mul(out, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    out
}

/// Rows in echelon form: each row's pivot is 1 and every later row is 0 at it, so a vector
/// reduced by the rows in order ends at 0 exactly when it is in their span. Each row also
/// keeps which inserted vectors (sources) it is made of, so that a vector found in the
/// span comes with the sources that give it: the published entries an attacker would
/// combine, among which a complement breaks that combination.
pub(super) struct Basis {
    k: usize,
    sources: usize,
    rows: Vec<(usize, Vec<u64>, Vec<u64>)>,
}

impl Basis {
    pub fn new(k: usize) -> Basis {
        Basis {
            k,
            sources: 0,
            rows: Vec::new(),
        }
    }

    /// Reduces `v` by the rows; `combo` gathers the multiple of each source taken out.
    fn reduce(&self, v: &mut [u64], combo: &mut Vec<u64>, sign: bool) {
        for (pivot, row, made_of) in &self.rows {
            let f = v[*pivot];
            if f != 0 {
                for (x, &y) in v.iter_mut().zip(row).skip(*pivot) {
                    if y != 0 {
                        *x = sub(*x, mul(f, y));
                    }
                }
                combo.resize(self.sources.max(combo.len()), 0);
                for (c, &m) in combo.iter_mut().zip(made_of) {
                    if m != 0 {
                        *c = if sign {
                            add(*c, mul(f, m))
                        } else {
                            sub(*c, mul(f, m))
                        };
                    }
                }
            }
        }
    }

    /// Adds source number `self.sources` (the count of earlier calls).
    pub fn insert(&mut self, mut v: Vec<u64>) {
        let me = self.sources;
        self.sources += 1;
        if self.rows.len() == self.k {
            return;
        }
        let mut combo = vec![0u64; self.sources];
        combo[me] = 1;
        self.reduce(&mut v, &mut combo, false);
        if let Some(pivot) = v.iter().position(|&x| x != 0) {
            let inv = inverse(v[pivot]);
            for x in v.iter_mut().skip(pivot) {
                *x = mul(*x, inv);
            }
            for c in combo.iter_mut() {
                *c = mul(*c, inv);
            }
            self.rows.push((pivot, v, combo));
        }
    }

    /// The sources that give `v`, if it is in the span.
    pub fn derive(&self, mut v: Vec<u64>) -> Option<Vec<usize>> {
        let mut combo = Vec::new();
        self.reduce(&mut v, &mut combo, true);
        v.iter().all(|&x| x == 0).then(|| {
            combo
                .iter()
                .enumerate()
                .filter(|(_, &c)| c != 0)
                .map(|(i, _)| i)
                .collect()
        })
    }

    #[cfg(test)]
    pub fn contains(&self, v: Vec<u64>) -> bool {
        self.derive(v).is_some()
    }
}
