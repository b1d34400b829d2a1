//! The value flags shared by `template`, `lint` and later `apply`: Helm's names and forms.

use crate::values::ValueSources;

#[derive(clap::Args, Debug, Clone, Default)]
pub struct ValueFlags {
    /// Values file(s) in YAML (repeatable, or comma-separated; `-` reads stdin).
    /// (Comma splitting happens in `values::merge_user_values`, as Helm's StringSlice does.)
    #[arg(short = 'f', long = "values", value_name = "FILE")]
    pub values: Vec<String>,
    /// Set values on the command line: key1=val1,key2=val2 (types inferred like Helm).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Set STRING values on the command line (no type inference).
    #[arg(long = "set-string", value_name = "KEY=VALUE")]
    pub set_string: Vec<String>,
    /// Set JSON values: key=<json> or a whole JSON object.
    #[arg(long = "set-json", value_name = "KEY=JSON")]
    pub set_json: Vec<String>,
    /// Set values from files: key=path (the file's contents become the string value).
    #[arg(long = "set-file", value_name = "KEY=PATH")]
    pub set_file: Vec<String>,
    /// Set a literal STRING value: everything after the first `=` is kept verbatim.
    #[arg(long = "set-literal", value_name = "KEY=VALUE")]
    pub set_literal: Vec<String>,
}

impl ValueFlags {
    pub fn sources(&self) -> ValueSources {
        ValueSources {
            values_files: self.values.clone(),
            set: self.set.clone(),
            set_string: self.set_string.clone(),
            set_json: self.set_json.clone(),
            set_file: self.set_file.clone(),
            set_literal: self.set_literal.clone(),
        }
    }
}
