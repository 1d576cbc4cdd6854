//! The list of objectives: each with its schema (name, group, description, citation, parameters)
//! and a constructor from validated parameters ([`Registered`]). The front end builds its controls from these
//! schemas; a spec naming an objective or parameter not listed here is refused.

use super::schema::{ObjectiveSchema, Registered};

/// Every objective, in the order a selector lists them.
pub fn objectives() -> &'static [Registered] {
    &[
        super::double_well::REGISTERED,
        super::base_model::REGISTERED,
        super::bilinear::TWO_FACTOR,
        super::bilinear::REGULARITY,
        super::unstable_convergence::REGISTERED,
        super::self_stabilization::REDUCED,
        super::self_stabilization::TOY,
        super::matrix_factorization::REGISTERED,
        super::network::SINGLE_NEURON_POPULATION,
        super::network::SINGLE_NEURON_EMPIRICAL,
        super::network::TWO_LAYER_ORTHOGONAL,
        super::network::MLP,
        super::formula::REGISTERED,
    ]
}

/// Every objective's schema, for the front end's selector and controls and for `eoslab objectives`.
pub fn schemas() -> Vec<&'static ObjectiveSchema> {
    objectives().iter().map(|r| &r.schema).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::objective::{Objective, ObjectiveSpec};

    #[test]
    fn every_objective_builds_with_its_defaults_and_starts_finite() {
        for r in objectives() {
            let f = ObjectiveSpec::new(r.schema.name, &[]).build().unwrap_or_else(|e| panic!("{}: {e}", r.schema.name));
            let x0 = f.default_start();
            assert_eq!(x0.len(), f.dim(), "{}", r.schema.name);
            assert!(f.value(&x0).is_finite(), "{}", r.schema.name);
        }
    }

    #[test]
    fn descriptions_are_clean_text() {
        for r in objectives() {
            let s = &r.schema;
            for text in [s.title, s.description, s.citation].into_iter().chain(s.params.iter().map(|p| p.description)) {
                assert!(!text.contains('\\') && !text.contains("  "), "{}: {text:?}", s.name);
            }
        }
    }

    #[test]
    fn every_default_parameter_passes_its_own_range() {
        for r in objectives() {
            let resolved = ObjectiveSpec::new(r.schema.name, &[]).resolved().unwrap();
            assert_eq!(resolved.params.len(), r.schema.params.len(), "{}", r.schema.name);
        }
    }

    #[test]
    fn names_are_unique_and_unknown_names_are_refused() {
        let mut names: Vec<&str> = objectives().iter().map(|r| r.schema.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), objectives().len());
        let e = ObjectiveSpec::new("triple_well", &[]).build().err().unwrap();
        assert_eq!(e.field, "objective.name");
        assert!(e.message.contains("double_well"), "lists the known names: {e}");
    }
}
