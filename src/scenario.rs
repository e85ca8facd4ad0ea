//! (not built yet)
// TEMPORARY stand-in until the scenario branch lands (lets main build meanwhile).
/// A loaded scenario with warnings.
pub struct Loaded {
    /// The scenario.
    pub scenario: crate::model::Scenario,
    /// Warnings.
    pub warnings: Vec<crate::error::ScenarioError>,
}
/// Loads a scenario (stand-in).
///
/// # Errors
/// Always, until the scenario branch lands.
pub fn load_with_plan(
    _path: &std::path::Path,
    _plan: Option<&std::path::Path>,
) -> Result<Loaded, crate::error::ScenarioErrors> {
    Err(crate::error::ScenarioErrors::default())
}
/// Loads a scenario (stand-in).
///
/// # Errors
/// Always.
pub fn load(path: &std::path::Path) -> Result<Loaded, crate::error::ScenarioErrors> {
    load_with_plan(path, None)
}
/// Loads a plan (stand-in).
///
/// # Errors
/// Always.
pub fn load_plan(
    _path: &std::path::Path,
    _scenario: &crate::model::Scenario,
) -> Result<crate::model::ShiftPlan, crate::error::ScenarioErrors> {
    Err(crate::error::ScenarioErrors::default())
}
