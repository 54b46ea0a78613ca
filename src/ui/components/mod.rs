//! One component per file, each with its props.

pub mod aggregate_panel;
pub mod bar_chart;
pub mod chart_figure;
pub mod codebook_bar;
pub mod crosstab_view;
pub mod derive_form;
pub mod drop_zone;
pub mod load_summary;
pub mod municipal_view;
pub mod national_panel;
pub mod national_view;
pub mod numeric_summary;
pub mod preview;
pub mod privacy_note;
pub mod question_editor;
pub mod question_list;
pub mod question_view;
pub mod raking_panel;
pub mod read_failure;
pub mod reading_status;
pub mod report_view;
pub mod share_panel;
pub mod shared_banner;
pub mod site_header;
pub mod tab_table;
pub mod view_nav;
