//! [`call_type!`](crate::call_type): the methods every generated
//! per-operation call type shares, written once here instead of in each.

/// Gives a generated per-operation call type the methods every call type
/// shares: [`send`](crate::Call::send), `timeout`, `max_retries`, `header`
/// and `IntoFuture` (so the call can be `.await`ed for its `result`).
///
/// The type must have a field `call: apigen_runtime::Call<R>` and a method
/// `fn into_call(self) -> apigen_runtime::Call<R>` that applies the
/// parameters it holds; `R` is given after `=>`.
///
/// ```
/// use apigen_runtime::{Call, Client, Method, decode};
///
/// pub struct ThingsGetCall {
///     call: Call<String>,
///     verbose: Option<bool>,
/// }
///
/// impl ThingsGetCall {
///     pub fn verbose(mut self, value: bool) -> Self {
///         self.verbose = Some(value);
///         self
///     }
///     pub fn into_call(self) -> Call<String> {
///         self.call.query_param("verbose", &self.verbose)
///     }
/// }
///
/// apigen_runtime::call_type!(ThingsGetCall => String);
///
/// let client = Client::builder().base_url("http://127.0.0.1:9").build().unwrap();
/// let call = ThingsGetCall {
///     call: client.call(Method::GET, "/things", decode::json),
///     verbose: None,
/// };
/// let _future = call.verbose(true).max_retries(0).into_future();
/// # use std::future::IntoFuture as _;
/// ```
#[macro_export]
macro_rules! call_type {
    ($call:ty => $result:ty) => {
        impl $call {
            /// Sends the call: the whole response (status, headers, messages,
            /// `result_info`) with the decoded `result`.
            pub async fn send(
                self,
            ) -> ::std::result::Result<$crate::ApiResponse<$result>, $crate::Error> {
                self.into_call().send().await
            }

            /// Gives up on the call after `timeout` (instead of the client's).
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.call = self.call.timeout(timeout);
                self
            }

            /// Retries the call at most `max_retries` times (instead of the
            /// client's setting).
            pub fn max_retries(mut self, max_retries: u32) -> Self {
                self.call = self.call.max_retries(max_retries);
                self
            }

            /// Adds a header to the request.
            pub fn header(mut self, name: &str, value: impl ::std::fmt::Display) -> Self {
                self.call = self.call.header(name, value);
                self
            }
        }

        impl ::std::future::IntoFuture for $call {
            type Output = ::std::result::Result<$result, $crate::Error>;
            type IntoFuture = <$crate::Call<$result> as ::std::future::IntoFuture>::IntoFuture;

            fn into_future(self) -> Self::IntoFuture {
                self.into_call().into_future()
            }
        }
    };
}
