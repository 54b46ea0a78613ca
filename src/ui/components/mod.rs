//! One component per file, each with its props.

pub mod bar_chart;
pub mod column_list;
pub mod drop_zone;
pub mod load_summary;
pub mod preview;
pub mod privacy_note;
pub mod tab_table;
