mod compare;
mod engine;
