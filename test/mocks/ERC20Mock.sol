// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import { DemoToken } from "../../contracts/demo/DemoToken.sol";

/// @notice A plain ERC-20 with any number of decimals (2, 6, 18, 24 in the tests) and open minting: the demo token
/// under the name the tests use.
contract ERC20Mock is DemoToken {
    constructor(string memory name_, string memory symbol_, uint8 decimals_) DemoToken(name_, symbol_, decimals_) {}
}
